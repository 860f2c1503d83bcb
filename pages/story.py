"""Placeholder: being built."""

import streamlit as st

st.title("Story")
st.info("This page is being built.")
