package ai.batch.queue.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

class MigrationsTest {

    @Test
    void createsEveryTableOnAnEmptyDatabaseAndRecordsTheVersion() throws Exception {
        DataSource db = TestDatabase.fresh();

        assertThat(new Migrations().migrate(db)).containsExactly(1);

        assertThat(tables(db)).contains("batch_fleet_nodes", "batch_fleet_slots", "batch_fleet_jobs",
                "batch_fleet_items", "batch_fleet_outbox", "batch_fleet_timings", "batch_fleet_loads",
                "batch_fleet_schema");
        assertThat(new Migrations().migrate(db)).as("a current schema is left alone").isEmpty();
    }

    @Test
    void upgradesFromThePreviousVersionKeepingItsRows() throws Exception {
        DataSource db = TestDatabase.fresh();
        List<Migrations.Script> current = Migrations.load(Migrations.SCRIPTS);
        new Migrations(current).migrate(db);
        exec(db, "INSERT INTO batch_fleet_nodes (node_id) VALUES ('kept')");
        List<Migrations.Script> next = new ArrayList<>(current);
        next.add(new Migrations.Script(current.size() + 1, "node zone",
                "ALTER TABLE batch_fleet_nodes ADD COLUMN zone text NOT NULL DEFAULT 'default'"));

        assertThat(new Migrations(next).migrate(db)).containsExactly(current.size() + 1);

        assertThat(query(db, "SELECT node_id || '/' || zone FROM batch_fleet_nodes")).containsExactly("kept/default");
    }

    @Test
    void aFailingScriptChangesNothingAndNamesItsVersion() throws Exception {
        DataSource db = TestDatabase.fresh();
        List<Migrations.Script> scripts = new ArrayList<>(Migrations.load(Migrations.SCRIPTS));
        scripts.add(new Migrations.Script(scripts.size() + 1, "broken", "ALTER TABLE no_such_table ADD COLUMN x int"));

        assertThatThrownBy(() -> new Migrations(scripts).migrate(db)).isInstanceOf(SQLException.class)
                .hasMessageContaining("no_such_table");

        assertThat(tables(db)).as("version 1 rolled back with the failed one").doesNotContain("batch_fleet_jobs");
    }

    @Test
    void refusesAScriptChangedAfterItWasAppliedAndANewerDatabase() throws Exception {
        DataSource db = TestDatabase.fresh();
        new Migrations().migrate(db);
        Migrations.Script v1 = Migrations.load(Migrations.SCRIPTS).get(0);

        assertThatThrownBy(() -> new Migrations(List.of(new Migrations.Script(1, v1.description(), v1.text() + "\n-- edited")))
                .migrate(db)).hasMessageContaining("version 1").hasMessageContaining("different script");

        exec(db, "INSERT INTO batch_fleet_schema (version, description, checksum) VALUES (99, 'future', 'x')");
        assertThatThrownBy(() -> new Migrations().migrate(db)).hasMessageContaining("schema version 99")
                .hasMessageContaining("newer than this bundle knows");
    }

    @Test
    void nodesStartingTogetherApplyEachVersionOnce() throws Exception {
        DataSource db = TestDatabase.fresh();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Integer>>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit((Callable<List<Integer>>) () -> new Migrations().migrate(db)));
            }
            int applied = 0;
            for (Future<List<Integer>> run : runs) {
                applied += run.get().size();
            }
            assertThat(applied).isEqualTo(Migrations.SCRIPTS.size());
        } finally {
            pool.shutdownNow();
        }
    }

    static List<String> tables(DataSource db) throws SQLException {
        return query(db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    }

    static List<String> query(DataSource db, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    static void exec(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
