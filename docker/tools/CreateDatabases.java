import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Creates the services' databases on the devstack PostgreSQL used to train the images' AOT caches
 * (docker/build-images.sh). Run as a source file with the devstack jar (which holds the JDBC driver) on the class
 * path: {@code java -cp devstack.jar CreateDatabases.java <jdbc url> <user> <password> <database>...}.
 */
public class CreateDatabases {
    public static void main(String[] args) throws SQLException {
        try (var connection = DriverManager.getConnection(args[0], args[1], args[2]);
             var statement = connection.createStatement()) {
            for (int i = 3; i < args.length; i++) {
                if (!args[i].matches("[a-z_][a-z0-9_]*")) {
                    throw new IllegalArgumentException("not a database name: " + args[i]);
                }
                try (var rs = statement.executeQuery("select 1 from pg_database where datname = '" + args[i] + "'")) {
                    if (rs.next()) {
                        continue;
                    }
                }
                statement.execute("create database " + args[i]);
            }
        }
    }
}
