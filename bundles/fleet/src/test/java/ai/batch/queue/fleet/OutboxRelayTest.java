package ai.batch.queue.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

class OutboxRelayTest {

    private final List<FleetEvent> delivered = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    @Test
    void waitsForAnEarlierNumberThatCommitsLaterAndDeliversBothInOrder() throws Exception {
        DataSource db = TestDatabase.migrated();
        try (OutboxRelay relay = new OutboxRelay(db, 0, delivered::add, warnings::add);
                Connection a = db.getConnection(); Connection b = db.getConnection()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            write(a, "ai_batch/first", Map.of());
            write(b, "ai_batch/second", Map.of());
            b.commit();

            assertThat(relay.poll()).as("seq 2 waits while seq 1 is uncommitted").isZero();
            assertThat(delivered).isEmpty();

            a.commit();
            assertThat(relay.poll()).isEqualTo(2);
            assertThat(delivered).extracting(FleetEvent::topic).containsExactly("ai_batch/first", "ai_batch/second");
            assertThat(delivered).extracting(FleetEvent::seq).containsExactly(1L, 2L);
            assertThat(delivered.get(0).node()).isEqualTo("node-a");
            assertThat(relay.skippedHoles()).isZero();
            assertThat(relay.poll()).as("nothing twice").isZero();
        }
    }

    @Test
    void passesARolledBackNumber() throws Exception {
        DataSource db = TestDatabase.migrated();
        try (OutboxRelay relay = new OutboxRelay(db, 0, delivered::add, warnings::add);
                Connection a = db.getConnection(); Connection b = db.getConnection()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            write(a, "ai_batch/rolledBack", Map.of());
            write(b, "ai_batch/kept", Map.of());
            b.commit();
            assertThat(relay.poll()).isZero();

            a.rollback();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> relay.poll() >= 0 && !delivered.isEmpty());

            assertThat(delivered).extracting(FleetEvent::topic).containsExactly("ai_batch/kept");
            assertThat(relay.skippedHoles()).isEqualTo(1);
            assertThat(relay.lateDeliveries()).isZero();
            assertThat(relay.floor()).isEqualTo(2);
            assertThat(warnings).isEmpty();
        }
    }

    @Test
    void waitsForANumberWhoseTransactionGotItsIdAfterALaterNumberCommitted() throws Exception {
        DataSource db = TestDatabase.migrated();
        try (OutboxRelay relay = new OutboxRelay(db, 0, delivered::add, warnings::add, 50, 100, 10_000);
                Connection a = db.getConnection(); Connection b = db.getConnection()) {
            write(b, "ai_batch/zero", Map.of());
            assertThat(relay.poll()).isEqualTo(1);
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            long taken = single(a, "SELECT nextval(pg_get_serial_sequence('batch_fleet_outbox', 'seq'))");
            assumeTrue(single(a, "SELECT coalesce(pg_current_xact_id_if_assigned()::text::bigint, 0)") == 0,
                    "nextval wrote the sequence's WAL (a checkpoint came between) and gave A its id");
            write(b, "ai_batch/second", Map.of());
            b.commit();
            try (Statement insert = a.createStatement()) {
                insert.execute("INSERT INTO batch_fleet_outbox (seq, node_id, topic, props) VALUES (" + taken
                        + ", 'node-a', 'ai_batch/first', '{}')");
            }

            await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> relay.poll() == 0 && delivered.size() == 1);
            a.commit();

            assertThat(relay.poll()).isEqualTo(2);
            assertThat(delivered).extracting(FleetEvent::topic)
                    .containsExactly("ai_batch/zero", "ai_batch/first", "ai_batch/second");
            assertThat(relay.skippedHoles()).isZero();
            assertThat(relay.lateDeliveries()).isZero();
        }
    }

    @Test
    void concurrentWritersWithRollbacksAreRelayedExactlyOnceInOrder() throws Exception {
        DataSource db = TestDatabase.migrated();
        int writers = 4;
        int perWriter = 1_500;
        Set<String> committed = ConcurrentHashMap.newKeySet();
        Set<String> rolledBack = ConcurrentHashMap.newKeySet();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try (OutboxRelay relay = new OutboxRelay(db, 0, delivered::add, warnings::add)) {
            relay.start("outbox-relay-concurrency");
            List<Future<?>> runs = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                runs.add(pool.submit(() -> writeRandomly(db, writer, perWriter, committed, rolledBack)));
            }
            for (Future<?> run : runs) {
                run.get(30, TimeUnit.SECONDS);
            }
            long written = System.nanoTime();
            try (Connection c = db.getConnection()) {
                write(c, "ai_batch/end", Map.of());
            }
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !delivered.isEmpty() && last(delivered).topic().equals("ai_batch/end"));
            long done = System.nanoTime();

            List<FleetEvent> events = new ArrayList<>(delivered);
            for (int i = 1; i < events.size(); i++) {
                assertThat(events.get(i).seq()).as("strictly increasing at %d", i)
                        .isGreaterThan(events.get(i - 1).seq());
            }
            List<String> ids = events.subList(0, events.size() - 1).stream().map(OutboxRelayTest::id).toList();
            assertThat(new HashSet<>(ids)).as("exactly once").hasSize(ids.size())
                    .isEqualTo(committed).doesNotContainAnyElementsOf(rolledBack);
            assertThat(relay.skippedHoles()).as("every rolled-back number passed").isEqualTo(rolledBack.size());
            assertThat(relay.lateDeliveries()).isZero();
            assertThat(relay.floor()).isEqualTo(Outbox.newest(db));
            assertThat(warnings).isEmpty();
            System.out.printf("OutboxRelayTest concurrency: %d events delivered (%d rolled back, %d numbers skipped), "
                    + "writers %d ms, relay done %d ms after the last write%n", ids.size(), rolledBack.size(),
                    relay.skippedHoles(), TimeUnit.NANOSECONDS.toMillis(written - started),
                    TimeUnit.NANOSECONDS.toMillis(done - written));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void passesANumberHeldOpenPastTheTimeoutAndDeliversItLateWhenItCommits() throws Exception {
        DataSource db = TestDatabase.migrated();
        try (OutboxRelay relay = new OutboxRelay(db, 0, delivered::add, warnings::add, 50, 100, 300);
                Connection a = db.getConnection(); Connection b = db.getConnection()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            write(a, "ai_batch/slow", Map.of());
            long slowSeq = single(a, "SELECT max(seq) FROM batch_fleet_outbox");
            write(b, "ai_batch/fast", Map.of());
            b.commit();

            long start = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> relay.poll() >= 0 && !delivered.isEmpty());
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(300);
            assertThat(delivered).extracting(FleetEvent::topic).containsExactly("ai_batch/fast");
            assertThat(warnings).anySatisfy(w -> assertThat(w).contains("seq " + slowSeq + " ")
                    .contains("still missing"));

            a.commit();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> relay.poll() >= 0 && delivered.size() == 2);
            assertThat(delivered).extracting(FleetEvent::topic).containsExactly("ai_batch/fast", "ai_batch/slow");
            assertThat(delivered.get(1).seq()).isEqualTo(slowSeq);
            assertThat(relay.lateDeliveries()).isEqualTo(1);
            assertThat(relay.skippedHoles()).isZero();
            assertThat(warnings).anySatisfy(w -> assertThat(w).contains("seq " + slowSeq + " ").contains("late"));
            assertThat(relay.poll()).isZero();
            assertThat(delivered).hasSize(2);
        }
    }

    @Test
    void givesCountsAndDurationsTheNumberTypesEventAdminConsumersRead() throws Exception {
        DataSource db = TestDatabase.migrated();
        try (OutboxRelay relay = new OutboxRelay(db, 0, delivered::add, warnings::add);
                Connection c = db.getConnection()) {
            write(c, "ai_batch/job/completed", Map.of("total", 7L, "durationMs", 12, "jobId", "j1", "ratio", 0.5,
                    "bytes", 5_000_000_000L, "ok", true));

            assertThat(relay.poll()).isEqualTo(1);
            Map<String, Object> properties = delivered.get(0).properties();
            assertThat(properties.get("total")).isInstanceOf(Integer.class).isEqualTo(7);
            assertThat(properties.get("durationMs")).isInstanceOf(Long.class).isEqualTo(12L);
            assertThat(properties.get("bytes")).isInstanceOf(Long.class).isEqualTo(5_000_000_000L);
            assertThat(properties.get("ratio")).isEqualTo(0.5);
            assertThat(properties).containsEntry("jobId", "j1").containsEntry("ok", true);
        }
    }

    @Test
    void keepsRelayingAfterItsListeningConnectionIsKilled() throws Exception {
        DataSource db = TestDatabase.migrated();
        String name = "outbox-relay-kill-" + System.nanoTime();
        try (OutboxRelay relay = new OutboxRelay(db, 0, delivered::add, warnings::add, 60_000, 200, 10_000);
                Connection c = db.getConnection()) {
            relay.start(name);
            long first = await().atMost(Duration.ofSeconds(5)).until(() -> listener(c, name), pid -> pid != 0);
            write(c, "ai_batch/before", Map.of());
            await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 1);

            try (PreparedStatement kill = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
                kill.setInt(1, (int) first);
                kill.execute();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> listener(c, name), pid -> pid != 0 && pid != first);
            write(c, "ai_batch/after", Map.of());

            await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 2);
            assertThat(delivered).extracting(FleetEvent::topic).containsExactly("ai_batch/before", "ai_batch/after");
            assertThat(warnings).anySatisfy(w -> assertThat(w).contains(name).contains("reconnecting"));
        }
    }

    @Test
    void startsAfterAGivenNumberAndPrunesOldEvents() throws Exception {
        DataSource db = TestDatabase.migrated();
        assertThat(Outbox.newest(db)).isZero();
        try (Connection c = db.getConnection()) {
            write(c, "ai_batch/old", Map.of());
            write(c, "ai_batch/older", Map.of());
        }
        long newest = Outbox.newest(db);
        assertThat(newest).isEqualTo(2);
        try (OutboxRelay relay = new OutboxRelay(db, newest, delivered::add, warnings::add);
                Connection c = db.getConnection()) {
            write(c, "ai_batch/new", Map.of());
            assertThat(relay.poll()).isEqualTo(1);
            assertThat(delivered).extracting(FleetEvent::topic).containsExactly("ai_batch/new");
        }
        assertThat(Outbox.prune(db, Duration.ofHours(1))).isZero();
        assertThat(Outbox.prune(db, Duration.ZERO)).isEqualTo(3);
        assertThat(Outbox.newest(db)).isZero();
    }

    private static void writeRandomly(DataSource db, int writer, int events, Set<String> committed,
            Set<String> rolledBack) {
        Random random = new Random(42 + writer);
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            int n = 0;
            while (n < events) {
                List<FleetEvent> batch = new ArrayList<>();
                List<String> ids = new ArrayList<>();
                for (int i = 1 + random.nextInt(5); i > 0 && n < events; i--, n++) {
                    batch.add(FleetEvent.of("ai_batch/test", Map.of("writer", writer, "n", n)));
                    ids.add(writer + "-" + n);
                }
                Outbox.write(c, "node-" + writer, batch);
                if (random.nextInt(10) == 0) {
                    c.rollback();
                    rolledBack.addAll(ids);
                } else {
                    c.commit();
                    committed.addAll(ids);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FleetEvent last(List<FleetEvent> events) {
        return events.get(events.size() - 1);
    }

    private static String id(FleetEvent event) {
        return event.properties().get("writer") + "-" + event.properties().get("n");
    }

    private static void write(Connection c, String topic, Map<String, Object> properties) throws SQLException {
        Outbox.write(c, "node-a", List.of(FleetEvent.of(topic, properties)));
    }

    private static long listener(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ? "
                + "AND datname = current_database() AND query LIKE 'LISTEN%'")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
