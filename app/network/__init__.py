"""The service network: a tree of centres, the orgs each centre serves, and the scope of every staff account."""
