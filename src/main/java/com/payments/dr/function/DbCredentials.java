package com.payments.dr.function;

/** A database user name and password. toString never shows the password. */
public record DbCredentials(String username, String password) {

    @Override
    public String toString() {
        return "DbCredentials[username=" + username + ", password=***]";
    }

    /** Where the function gets its database credentials; implementations cache them. */
    public interface Provider {
        DbCredentials current();

        /** Drops the cached value, e.g. after the password was rotated. */
        void invalidate();
    }
}
