-- Run once by the PostgreSQL image on an empty data directory (compose.yaml): the two roles of
-- README "Database roles". The owner migrates; the application role owns nothing and gets its
-- grants from each `migrate` (core/dbroles.py). Passwords come from the compose secrets' env.
\set owner_password `echo "$SPEC_REVIEW_OWNER_PASSWORD"`
\set app_password `echo "$SPEC_REVIEW_APP_PASSWORD"`
CREATE ROLE spec_review_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE spec_review_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE spec_review OWNER spec_review_owner;
