// Reads views over JDBC (pgjdbc) the way a BI tool does, and prints what
// arrives: per view a header line with each column's name, java.sql.Types
// name and the driver's type name, then one line per row with each value
// read by the getter of its JDBC type.  test/bi/check.py compares it with
// what psql returns.  Run as a single-file source program:
//   BI_PASSWORD=... java -cp /usr/share/java/postgresql.jar JdbcRead.java <url> <user> <schema> <view>...
// Output (UTF-8): "#view\t<name>\t<column>:<JDBCType>:<type name>..." then rows,
// values tab-separated, NULL as \N, tab, newline and backslash escaped.
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.JDBCType;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;

public class JdbcRead {
    static String ident(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    // One value as text, read with the getter a BI tool uses for its type.
    static String value(ResultSet r, int i, int type) throws Exception {
        String v;
        switch (type) {
            case Types.BIGINT: case Types.INTEGER: case Types.SMALLINT:
                long l = r.getLong(i);
                v = Long.toString(l);
                break;
            case Types.DOUBLE: case Types.FLOAT: case Types.REAL:
                double d = r.getDouble(i);
                v = Double.toString(d);
                break;
            case Types.NUMERIC: case Types.DECIMAL:
                java.math.BigDecimal b = r.getBigDecimal(i);
                v = b == null ? null : b.toPlainString();
                break;
            case Types.BIT: case Types.BOOLEAN:
                v = r.getBoolean(i) ? "t" : "f";
                break;
            case Types.DATE:
                LocalDate day = r.getObject(i, LocalDate.class);
                v = day == null ? null : day.toString();
                break;
            case Types.TIMESTAMP: case Types.TIMESTAMP_WITH_TIMEZONE:
                // microseconds since 1970 (UTC): compared as an instant
                OffsetDateTime t = r.getObject(i, OffsetDateTime.class);
                v = t == null ? null : Long.toString(t.toEpochSecond() * 1000000L + t.getNano() / 1000);
                break;
            case Types.VARCHAR: case Types.CHAR: case Types.LONGVARCHAR: case Types.NVARCHAR: case Types.NCHAR:
                v = r.getString(i);
                break;
            default:
                v = "?" + r.getString(i);
        }
        return r.wasNull() ? null : v;
    }

    public static void main(String[] a) throws Exception {
        if (a.length < 3) {
            System.err.println("usage: BI_PASSWORD=... JdbcRead <url> <user> <schema> <view>...");
            System.exit(2);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (Connection c = DriverManager.getConnection(a[0], a[1], System.getenv("BI_PASSWORD"))) {
            for (int k = 3; k < a.length; k++) {
                try (Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT * FROM " + ident(a[2]) + "." + ident(a[k]))) {
                    ResultSetMetaData m = r.getMetaData();
                    int n = m.getColumnCount();
                    int[] types = new int[n + 1];
                    StringBuilder h = new StringBuilder("#view\t" + a[k]);
                    for (int i = 1; i <= n; i++) {
                        types[i] = m.getColumnType(i);
                        String name;
                        try {
                            name = JDBCType.valueOf(types[i]).getName();
                        } catch (IllegalArgumentException e) {
                            name = "UNKNOWN(" + types[i] + ")";
                        }
                        h.append('\t').append(m.getColumnName(i)).append(':').append(name)
                         .append(':').append(m.getColumnTypeName(i));
                    }
                    out.println(h);
                    while (r.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= n; i++) {
                            String v = value(r, i, types[i]);
                            if (i > 1)
                                row.append('\t');
                            row.append(v == null ? "\\N" : escape(v));
                        }
                        out.println(row);
                    }
                }
            }
        }
    }
}
