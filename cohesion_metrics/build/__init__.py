"""Building the database: the pipeline from raw to core to public views, the indicators derived in SQL, and the compact snapshot."""
