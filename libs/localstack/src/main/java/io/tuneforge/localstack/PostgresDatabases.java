package io.tuneforge.localstack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/** Database names and {@code CREATE DATABASE}, shared by the embedded and the container server. */
public final class PostgresDatabases {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String DUPLICATE_DATABASE = "42P04";

    private PostgresDatabases() {
    }

    /** Returns the name if it is a plain lower-case identifier (so it needs no quoting), else throws. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Database name must match " + NAME.pattern()
                    + " (lower-case letters, digits, underscores; at most 63), got '" + name + "'");
        }
        return name;
    }

    /** Creates the database through a connection to {@code adminJdbcUrl}; an existing one is kept. */
    public static void create(String adminJdbcUrl, String user, String password, String name) {
        checkName(name);
        try (Connection connection = DriverManager.getConnection(adminJdbcUrl, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
                throw new LocalStackException("Could not create database '" + name + "' via " + adminJdbcUrl
                        + ": " + e.getMessage(), e);
            }
        }
    }
}
