"""`python -m app demo`: a realistic, made-up service network (centres, orgs, units, staff, sample activity) so a
newcomer sees a full console and dashboard. Demo only: the accounts share a printed password."""
