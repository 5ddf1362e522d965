"""Realistic, deterministic demo data: three host institutions, their employers and a few
hundred Serpin and other grant students from the south, from admission to the work-off duty.
"""

from service.demo.loader import DemoSummary, load_demo_data, load_demo_data_into

__all__ = ["DemoSummary", "load_demo_data", "load_demo_data_into"]
