"""Expected sha256 and size of every official file the project reads (see catalogue.py)."""

# Generated from the files in ../shared/data on 2026-11-25: (relative path, sha256, bytes) per source folder.
CHECKSUMS: dict[str, tuple[tuple[str, str, int], ...]] = {
    "census2021_nomis_lsoa": (
        ("census2021-ts004-lsoa.csv", "baef6c7d0f0d6d451945872d32e47e835f931fcc7d347b98658bc75574a93eec", 2993245),
        ("census2021-ts006-lsoa.csv", "691f492adc8cfcaa4989dd5e8756b181e7d8a8113b2f7a24550c72698bbaa745", 1592007),
        ("census2021-ts007a-lsoa.csv", "61b4601ca535365ee8e1f0c27681123252009e7161479bd161486c3d50491ed9", 3485469),
        ("census2021-ts037-lsoa.csv", "d787a75e99f3811da0b5383392f98da21a7be1559772fae4921a34d08bab9d17", 1961838),
        ("census2021-ts065-lsoa.csv", "0cf477ce76523794a2b53547e400111735a3171d3c2fd026951642a30da29972", 1664819),
        ("census2021-ts067-lsoa.csv", "02834e2285a58537be475e5d55006c78224b0aba18451205037fbbb200247c01", 2235905),
        ("census2021-ts003-lsoa.csv", "77064feaf14d7f288db7dfc9b3003953e2c3d8f242eaa36d9103a66a000480af", 3820369),
        ("census2021-ts011-lsoa.csv", "7310ce2223d2c0b0d164919059e5936de933c1b8f424a7ab4e42de7782736bc7", 2073690),
        ("census2021-ts019-lsoa.csv", "293caaf29fa65c991c33362face9b27d338ea652547935215e085a5656fb2670", 2002740),
        ("census2021-ts025-lsoa.csv", "7b1300d7ea5d9bd9f9507d352c89e01c13ebe129961181133f785c79a3d20b9f", 1700740),
        ("census2021-ts029-lsoa.csv", "a29af1b57ead55888abb5a295e51d40913bc6575d29cdf1265c1f0983dfa591d", 1990266),
        ("census2021-ts038-lsoa.csv", "81b7265dd297e22b79fc596fb5f3d99670250cfc5ce01ea07e62d57ea74bbf7d", 2207235),
        ("census2021-ts039-lsoa.csv", "06eee7e2e669cf07210a205486326b89ca4f960c01579a2621f6c41288574874", 2224416),
        ("census2021-ts052-lsoa.csv", "b41a05ea1b0b8d476996973f0f2fbb4ce0c072b071e928a1050470c6e6145859", 1869077),
    ),
    "census2021_nomis_msoa": (
        ("census2021-ts021-msoa.csv", "7a25aaeaacd6d93acee970804501fcd2e0b3700acdbfee4eee2a8083147f7f0d", 840711),
    ),
    "electoral_commission_2022_local_elections": (
        (
            "2022 England Electoral data_0.xlsx",
            "0ee72032f19ebc29d7ca2e74e1e85bc74a528652118a36a54907b3721eb02fa9",
            598461,
        ),
    ),
    "gla_cultural_infrastructure_map": (
        ("Arts_centres.csv", "8fca091c24731eedb4735f66e99cf95d3de84a14290462960296bc95c388ada4", 5871),
        ("Cinemas.csv", "0f1712757ae5de01bd292d492dad212b5423e1065e7d141a6b93fce648d9b29e", 23038),
        ("Commercial_galleries.csv", "e4fe93ed6d8734f329ad7af6e44e476d4de56abe7469c8dd83f12ac4b5fca2da", 68692),
        ("Community_centres.csv", "22c0f4092fa547c20be03bd8eb6fa9fdbe13d877927955dab8d57a70a9ffac4a", 217723),
        ("Dance_performance_venues.csv", "070f6d548c22d3aa6fe83ddfc261459677cd6631016980be7adf9d7b09be862d", 41437),
        ("LGBT_night_time_venues.csv", "8f605ccf8b4eff85217b0c13e6318c214aabc2193570bcf0fe7d9d62f7026aa6", 13872),
        ("Libraries.csv", "20994cfb17cda15e8118b158beb6433b9823e3f377b1e391e2c15b6a1e983b4e", 63222),
        ("Museums_and_public_galleries.csv", "47e761cfa83abe6bee0d77a49655041f3b9b805ab0c61a8b46c41b6b17af5d18", 40212),
        ("Music_venues_all.csv", "6b48f104f0883f0db411c82385766d14d26241aa2cb8d65bb962cb67c3743182", 166304),
        (
            "Outdoor_spaces_for_cultural_use.csv",
            "427a6ce246f069260fb1ce9f536ad4da147be982717b28a64201f3184d61f7f5",
            3094,
        ),
        ("Pubs.csv", "c3857544e71b6e7867bb050f2d959f63f91bc7589daf827b5ea2a2063156f3be", 763868),
        ("Skate_Parks.csv", "56404ba2adfec031f2a26f7293d9473aede7e3dd972866a31ddd47f02ef71d6e", 7786),
        ("Theatres.csv", "6680283615dfaf302812c8c59ec49f3847a2249b4d4eec35b10473db3133bc83", 60549),
    ),
    "gla_tree_canopy_lsoa": (
        ("gla-canopy-lsoas.csv", "9508cc8d6ddac36fe25dce1b14307ffc4a72bd03715bd59a4ede947221843a6a", 340447),
    ),
    "iod2019": (
        (
            "File_10_-_IoD2019_Local_Authority_District_Summaries__lower-tier__.xlsx",
            "ff6afe1558feef5d49d06541ae42ee68405f6436efb2692a95c00121134be3e3",
            254190,
        ),
        (
            "File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx",
            "45bf231e9f03c7daf9e8b47e0021ea1b38469ac8b8279195826fee1623b634e4",
            1375625,
        ),
        (
            "File_2_-_IoD2019_Domains_of_Deprivation.xlsx",
            "a6e2c09a45c8c032e226c3ea6096f9950c54d45f339444fc3183feb678f42f0a",
            4168546,
        ),
        ("ID 2019 for London.xlsx", "87c8cca5ad43a0568ede75a3573ac8a2fa2d87a02b139e4bfec806b6cc8462cf", 3962336),
    ),
    "iod2025": (
        (
            "File_1_IoD2025_Index_of_Multiple_Deprivation.xlsx",
            "ab6b1419cc888a5bcc1de5c2846b184ececfa96008698f82cd01cf5d58dff7ea",
            1467791,
        ),
        (
            "File_3_IoD2025_Supplementary_Indices_IDACI_and_IDAOPI.xlsx",
            "0a627952733730060f612fb4263717a262bcd52b2724ae497fc5c3a363499de1",
            2280066,
        ),
    ),
    "london_borough_profiles": (
        ("london-borough-profiles.xlsx", "99ac661700e0c359ac7b3fc6bd28b7a05244b4755b1347d5a1353a2dfc575bf8", 1290744),
    ),
    "london_statistical_gis_boundaries": (
        (
            "ESRI/LSOA_2011_London_gen_MHW.dbf",
            "29cb00a5131e0b55fad7afe56d8119f81608c7d67251e6278d66bb01c7653a07",
            1199562,
        ),
        ("ESRI/LSOA_2011_London_gen_MHW.prj", "136e03e16e6030eb237481d1494e903d21844a4cf255d69be88985d3dfccc616", 416),
        (
            "ESRI/LSOA_2011_London_gen_MHW.shp",
            "02773dbcb524c8a95e359c6634545a75f92e775168540d09ab2853c5e84642b4",
            2846220,
        ),
        (
            "ESRI/LSOA_2011_London_gen_MHW.shx",
            "b72619c33e9081704d6903320700f74ba8b1fc6d125fbd2ddf38761ea98bb903",
            38780,
        ),
        (
            "ESRI/London_Borough_Excluding_MHW.dbf",
            "6391c2d0a91adc887eb424d7caa590de0575d4b5e039ae7ddd3fc75af1e9e275",
            2700,
        ),
        (
            "ESRI/London_Borough_Excluding_MHW.prj",
            "fdd6daa5b46cf1186ebbbb0f44d8c1aee9fc6f5022698f90f6629281925ea8ad",
            404,
        ),
        (
            "ESRI/London_Borough_Excluding_MHW.shp",
            "5d296f021b931c091b9b97fdfb4118406ee82376f7f1a73bf348236b1f68c0a5",
            778728,
        ),
        (
            "ESRI/London_Borough_Excluding_MHW.shx",
            "743d103b9b1210cb3337f8e1723b03ead25377443f8b3a7635d699bf38702400",
            364,
        ),
        ("ESRI/London_Ward_CityMerged.cpg", "3ad3031f5503a4404af825262ee8232cc04d4ea6683d42c5dd0a2f2a27ac9824", 5),
        ("ESRI/London_Ward_CityMerged.dbf", "b223a37fa4c3f8b779e2d16daaf0bda894fee242df85f6d017fd2b08b2b07086", 107133),
        ("ESRI/London_Ward_CityMerged.prj", "fdd6daa5b46cf1186ebbbb0f44d8c1aee9fc6f5022698f90f6629281925ea8ad", 404),
        (
            "ESRI/London_Ward_CityMerged.shp",
            "9f6c4096fc3026f7749647717f2f9ca0cb7b690378950849bdc7557cb8c3a9dc",
            2561420,
        ),
        ("ESRI/London_Ward_CityMerged.shx", "770f46a60e1ec0af151e5bf7768ac010d7a35c0cc5d48002b0048650035ec1f3", 5100),
        (
            "ESRI/MSOA_2011_London_gen_MHW.dbf",
            "6ce1dff23b3111cfd7b41ffb62c85b60dae22e48022db95c438c0f3850907b05",
            196035,
        ),
        ("ESRI/MSOA_2011_London_gen_MHW.prj", "136e03e16e6030eb237481d1494e903d21844a4cf255d69be88985d3dfccc616", 416),
        (
            "ESRI/MSOA_2011_London_gen_MHW.shp",
            "d32b03f8aef7318b94ef789084e7fb5b16d2d9a57e5319575b2de72b08484fa2",
            1213116,
        ),
        ("ESRI/MSOA_2011_London_gen_MHW.shx", "d0f4e086dabcd353db7702725dbc6c3b31a30d9e1cd5d37ec95dcd9f159ae58f", 7964),
    ),
    "london_ward_profiles": (
        ("ward-atlas-2014boundaries.xls", "1e084ab7cb33dfce2822daa521a68c8bf773377ca3ea3511b37802b6757e1552", 3776000),
        ("ward-profiles-excel-version.xls", "9fef691fa42d4286ae24f317b064e52e78a77750ab01f4ba62d251bc830d6300", 849408),
    ),
    "lsoa2021_ward2025_london_geojson": (
        (
            "lsoa21_by_borough/E09000001.geojson",
            "d33fe1d43602cf438e8218504338c0551cd408ef0b7d01fe23faedf1b2e460ae",
            10307,
        ),
        (
            "lsoa21_by_borough/E09000002.geojson",
            "1591937f717cc78e6ee38341c85f6926ed074a285df3dfac3e5857fe224e0371",
            194305,
        ),
        (
            "lsoa21_by_borough/E09000003.geojson",
            "8832f69cc9a111a993c379c1a3a3afc9882c3f811253f6539ff65bd028fd92af",
            436610,
        ),
        (
            "lsoa21_by_borough/E09000004.geojson",
            "3e716d5dfce7a8d1d897fe08012746dd55b080bc6688334d13971f10c60e9e4a",
            277861,
        ),
        (
            "lsoa21_by_borough/E09000005.geojson",
            "88ae030ded6837350e0b25df7fe8acdefea35929f3e632d716df5c3b184971f1",
            303930,
        ),
        (
            "lsoa21_by_borough/E09000006.geojson",
            "d73ddc6bbe36858a2aa9518062578616887b2d974b8538cfede48101f2a3017b",
            436737,
        ),
        (
            "lsoa21_by_borough/E09000007.geojson",
            "25b8e2ac4f3c75a7c41b5632d14bb9ec3e95a9ecbb13dd33bf1c51f9aaed3c2b",
            214643,
        ),
        (
            "lsoa21_by_borough/E09000008.geojson",
            "4c116822e716c4103430a79a9af5ce37b91f891a345d90afb1394c65ac63dbc6",
            428481,
        ),
        (
            "lsoa21_by_borough/E09000009.geojson",
            "2bef794148fd566c4a0f030bffb03b4c8e941e4734e73af534836a0b491b4e85",
            343361,
        ),
        (
            "lsoa21_by_borough/E09000010.geojson",
            "7516a4cb201c39a3bffc362f173a780651805fc35dc109910ecc3aba4aa4c6fe",
            327498,
        ),
        (
            "lsoa21_by_borough/E09000011.geojson",
            "103e598e472a43a624dc60941b506a6203d5102884822aa0e9b2d236946722d7",
            282453,
        ),
        (
            "lsoa21_by_borough/E09000012.geojson",
            "2a68594ec2a5f4da503d351b2c1dbe1d006ada0d73437b2269bbd237f90727c1",
            228253,
        ),
        (
            "lsoa21_by_borough/E09000013.geojson",
            "a6f5d9d0d939237ab4aeb7f05f11134e6f47cf6806d9340270cb816e96dda85f",
            182987,
        ),
        (
            "lsoa21_by_borough/E09000014.geojson",
            "4d82dba91f4ec6064c700a9fb4ecea5279c2a38df6edd9a1ae5e65da5b17800b",
            242286,
        ),
        (
            "lsoa21_by_borough/E09000015.geojson",
            "f75ec71425f173c76473f3e675ae08d01e708e88ea0336f3c3c49da1b43ea0ec",
            263086,
        ),
        (
            "lsoa21_by_borough/E09000016.geojson",
            "31fa4fc2b495c6584c093e9634f31ef76c8765161e130dfd6ca6e40808169b58",
            314678,
        ),
        (
            "lsoa21_by_borough/E09000017.geojson",
            "945ff188dfad365dc41312beea53016e50bde5e0ba6e47be6353ad367b672d1c",
            334478,
        ),
        (
            "lsoa21_by_borough/E09000018.geojson",
            "1df160b849cc4bc103d35f3900cb2b26025614e681f22cc50880c431bc221c82",
            272211,
        ),
        (
            "lsoa21_by_borough/E09000019.geojson",
            "f3b9c021bd7448056565f5aa4fc6be052e5e038d82ead2217252a3b339fed48b",
            193096,
        ),
        (
            "lsoa21_by_borough/E09000020.geojson",
            "b0b2a5aedbe3ad052bf2949a106ffed102795d0138f988ff90d175c765378c2b",
            159699,
        ),
        (
            "lsoa21_by_borough/E09000021.geojson",
            "e7ffdeba54f3af64f7bcbfbb2acaa0622ed167ab5ff9ba89d00106bc3d4a82f8",
            180959,
        ),
        (
            "lsoa21_by_borough/E09000022.geojson",
            "e991d60855d2ed37f0a34565c2eb744369b10ca490c3224812fa437673b02fd7",
            286899,
        ),
        (
            "lsoa21_by_borough/E09000023.geojson",
            "d7a174de20c3b83e56e22c3297df2d227bb8d2c0ba79433060d4f99d582539f7",
            281541,
        ),
        (
            "lsoa21_by_borough/E09000024.geojson",
            "e3aad1860ea71ac810970eaf446895d6ed5d21b6c03fa13c63fee45497f6e562",
            213734,
        ),
        (
            "lsoa21_by_borough/E09000025.geojson",
            "5c3e06319a8a9bfc5a25d9beb2fc628f1d5f2f594a4edd6da0d1c8654783dec4",
            290539,
        ),
        (
            "lsoa21_by_borough/E09000026.geojson",
            "e4d248ab38daed01593b5498734523effc60a6e767240cd0a9eb10033acedaba",
            280981,
        ),
        (
            "lsoa21_by_borough/E09000027.geojson",
            "415457b82e8ac7562edfc94eb83f4c1c5665508e5ffc77e64d90c40cd7bab50f",
            225699,
        ),
        (
            "lsoa21_by_borough/E09000028.geojson",
            "1cfe0c24b31957ee205c3e8aa7a2b81836143f832a2ddf75a471a7f929c36fb9",
            278889,
        ),
        (
            "lsoa21_by_borough/E09000029.geojson",
            "2c7ca24ea73b7ae5466ada8d9b871b22915c5e62d8b17d5b6a092ab9b4234966",
            230680,
        ),
        (
            "lsoa21_by_borough/E09000030.geojson",
            "9af7ef74a0c4cfd4349c84705cc351055b45bc1b63fbdc068eaa5e15f00c09a8",
            255752,
        ),
        (
            "lsoa21_by_borough/E09000031.geojson",
            "f6db1c2a36572ab75535ac70f47a3182340a4ac2f7df3835a858cb468d246762",
            244139,
        ),
        (
            "lsoa21_by_borough/E09000032.geojson",
            "b4f0f6e8244e563b56a89e55b1a2d5ebfcf89bb6a66f11b725d3168d30a942a3",
            295730,
        ),
        (
            "lsoa21_by_borough/E09000033.geojson",
            "ac80017ffd9ff3baf875d89d10361184e5760d0a5fda32367f23ee60d3ded051",
            209737,
        ),
        ("ward25/E12000007.geojson", "6cd06ec185f391853cd48863bfee5880c78d954d84082b7e91870153e43363f3", 1431376),
    ),
    "mopac_public_voice_dashboard_exports_2022": (
        (
            "all_borough_police_concerns_local_june_2022.csv",
            "a4e0f7b156fc55303ab04f24b9da7a77237e468635958caa76a50473287c789b",
            1380,
        ),
        (
            "all_borough_police_contact_ward_officer_june_2022.csv",
            "c20c51fff32f5b7bc7d1df22370fb67a6dae636898e3cac52dab8bcfd620a9c6",
            1340,
        ),
        (
            "all_borough_police_fair_june_2022.csv",
            "a6799ea7d4284f90cbb68d401e65a93d3ba52f1aa5c1c46e7a0ecf5d7260394d",
            1420,
        ),
        (
            "all_borough_police_informed_june_2022.csv",
            "1cb1fcd4844be101555872ebbc6f0fd4643e89c75fa432c597ca6b50ab6c7e5a",
            1452,
        ),
        (
            "all_borough_police_relied_june_2022.csv",
            "90c33a61b3eedce1df4854e03a477e4b967dc1b0c953438eb953dc885646b0ac",
            1396,
        ),
        (
            "all_borough_police_things_matter_june_2022.csv",
            "e3a21c7926c5ca3b3abe9f679ff7dc8e03519d0d358ce14c774fa400e11926b0",
            1456,
        ),
    ),
    "ons_aps_personal_wellbeing_borough": (
        ("well-being.xlsx", "5335fa2a158ed070cb8f6458cf52d5e9c3772892e3fe269a8a7eb55a939ee582", 79972),
    ),
    "ons_lookups": (
        (
            "LSOA_(2011)_to_LSOA_(2021)_to_Local_Authority_District_(2022)_Lookup_for_England_and_Wales.csv",
            "5753660f8011db3ef6a0f2d0c4decc39532bf844791a6111811d09a9f6f9eae4",
            3030574,
        ),
        (
            "LSOA_(2011)_to_LSOA_(2021)_to_Local_Authority_District_(2022)_Lookup_for_England_and_Wales_(Version_2).csv",
            "942d0c36b16ab7de14516446e6f69fb94aa22ae5faf53ea850830f5ae995e847",
            2865570,
        ),
        (
            "Lower_Layer_Super_Output_Area_(2021)_to_Ward_(2023)_to_LAD_(2023)_Lookup_in_England_and_Wales.csv",
            "240de8dbb172ab0bff509cf29f990cb976c5c7258c813989351d2da7aafd983a",
            3016501,
        ),
    ),
    "ons_lsoa2021_centroids": (
        (
            "LLSOA_Dec_2021_PWC_for_England_and_Wales_2022_6710512803259349539.csv",
            "e62a2a26ff6fde5d9e69ab5fbde14a3147077ff742ca412005aa6df3a1fac2b6",
            2851546,
        ),
    ),
    "ons_msoa2021_bsc": (
        ("MSOA_2021_EW_BSC.cpg", "3ad3031f5503a4404af825262ee8232cc04d4ea6683d42c5dd0a2f2a27ac9824", 5),
        ("MSOA_2021_EW_BSC.dbf", "8ffc4f93952b2204e9248dd872b3c7d64d85977d719a2b7c5e2be0bbba9c9e0b", 733858),
        ("MSOA_2021_EW_BSC.prj", "d97d276680377a05a19a8b8030ae04c4a87e883a9e5c07d0c646e5402e773a89", 417),
        ("MSOA_2021_EW_BSC.shp", "c7ed2885520cf5daf0bb9b5496846266a9b4630ecd8a534454b42aa38df58ac2", 3042104),
        ("MSOA_2021_EW_BSC.shx", "c48c0108dcfde0fa3fde8c95ba585c8e353535e0b8cf3bccfbeac005ac728a46", 58212),
        (
            "Middle_Layer_Super_Output_Area_(December_2021)_Boundaries_Super_Generalised_Clipped_EW_(BSC).xml",
            "b158a316773ab670d72925509f1549c871f360d41f289e3193a86b35d7802ae6",
            17143,
        ),
    ),
    "osm_geofabrik_greater_london_2019": (
        ("gis_osm_pofw_a_free_1.cpg", "146d6789ffe033a5297c1ad046e6a62ee35319b86b021444f05b6ea2aa8a1f4a", 6),
        ("gis_osm_pofw_a_free_1.dbf", "6861db286cfa6650271a58d476c518cafd4d914b15d2afba9908c0e7f1f6271f", 305466),
        ("gis_osm_pofw_a_free_1.prj", "ffc9162903c37f0867d1e7f36c20036a165f7aa555dda24c1ae0ee4328d2977f", 144),
        ("gis_osm_pofw_a_free_1.shp", "535b9589e8a8d09c27dd6273c82c086a6564855de92440a4e1e9685f66076ca0", 521304),
        ("gis_osm_pofw_a_free_1.shx", "e9fe7f69db5075e94aeb61198ad99dc8b64207e98519bfeab212690cc5c2a779", 17180),
        ("gis_osm_pofw_free_1.cpg", "146d6789ffe033a5297c1ad046e6a62ee35319b86b021444f05b6ea2aa8a1f4a", 6),
        ("gis_osm_pofw_free_1.dbf", "0185af459c1daab6dca010ad0d7b96e1768108e8ad74cc881cd0edb3a7eaa9ef", 111558),
        ("gis_osm_pofw_free_1.prj", "ffc9162903c37f0867d1e7f36c20036a165f7aa555dda24c1ae0ee4328d2977f", 144),
        ("gis_osm_pofw_free_1.shp", "362e0b0f0020b578a4d95541d1ae4dbce89fc294fed18e69fcd3a0fdeb191ae9", 21912),
        ("gis_osm_pofw_free_1.shx", "58de016bfa43508e8ec97067b17bf0c9865bdce455e93f23e60bd17e40166879", 6332),
    ),
    "tfl_ptal_lsoa2011": (
        ("LSOA2011 AvPTAI2015.csv", "90dfff7eb4f90c7a5c247223d55de1cd4f201f4d5b25990660e31248db961901", 207169),
    ),
    "brc_flood_risk_lsoa2011": (
        ("Flood risks - LSOA.csv", "547e1b3c4bc927a692efdcd81a725b36bf8ed46f65b4f2f4579b702e3569bc4f", 124405),
    ),
    "gla_ward_wellbeing": (
        (
            "gla_london_ward_wellbeing_scores_2009_2013_allweight1.csv",
            "35ade1f303314e8cbed17d169e68a37af3a9ec4e676f7a35c2dfe94a0400cc4b",
            30406,
        ),
    ),
}
