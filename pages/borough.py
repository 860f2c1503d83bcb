"""Placeholder: being built."""

import streamlit as st

st.title("Borough")
st.info("This page is being built.")
