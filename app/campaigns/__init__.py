"""Screening campaigns: an org's campaign of scales over units and dates, its widget links and participation."""
