"""Language handling shared by answer understanding (app/answers/) and the crisis screen (app/safety/)."""
