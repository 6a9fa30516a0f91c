-- Failed logins are counted per account and client address: five wrong guesses from one address
-- lock the account for that address only; the account itself locks when several addresses have
-- been locked out on it (users.locked_until). users.failed_logins is no longer read.
CREATE TABLE login_failures (
    user_id TEXT NOT NULL REFERENCES users(id) DEFERRABLE INITIALLY DEFERRED,
    ip TEXT NOT NULL,
    failures BIGINT NOT NULL,
    locked_until BIGINT NOT NULL,
    PRIMARY KEY (user_id, ip)
);
