package ai.batch.queue.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;

class ItemDataTest {

    record Photo(String path) {
    }

    @Test
    void portableDataComesBackAsTheSameValues() throws Exception {
        StoreFixture fleet = new StoreFixture();
        List<BatchItem<Object>> items = List.of(BatchItem.of("text", "a photo", SizeBucket.SMALL),
                BatchItem.of("number", 42L, SizeBucket.SMALL),
                BatchItem.of("map", Map.of("path", "/srv/photos/1.jpg", "tags", List.of("cat", 3)), SizeBucket.SMALL),
                BatchItem.of("uri", URI.create("https://example.org/1.jpg"), SizeBucket.SMALL),
                BatchItem.of("path", Path.of("/srv/photos/2.jpg"), SizeBucket.SMALL),
                BatchItem.of("none", null, SizeBucket.SMALL));
        String id = Sql.inTransaction(fleet.db, c -> FleetJobs.enqueue(c, "n", BatchJob.of("m", "tag", OverwritePolicy.SKIP, items)));

        List<BatchItem<Object>> back = fleet.job(id).items();

        assertThat(back).extracting(BatchItem::data).containsExactly("a photo", 42L,
                Map.of("path", "/srv/photos/1.jpg", "tags", List.of("cat", 3)), URI.create("https://example.org/1.jpg"),
                Path.of("/srv/photos/2.jpg"), null);
    }

    @Test
    void dataAnotherNodeCannotReadIsRefusedNamingTheItemAndNothingIsWritten() throws Exception {
        StoreFixture fleet = new StoreFixture();
        List<BatchItem<Object>> items = List.of(BatchItem.of("ok", "fine", SizeBucket.SMALL),
                BatchItem.of("photo-7", Map.of("photo", new Photo("/x.jpg")), SizeBucket.SMALL));

        assertThatThrownBy(() -> Sql.inTransaction(fleet.db, c -> FleetJobs.enqueue(c, "n",
                BatchJob.of("m", "tag", OverwritePolicy.SKIP, items)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Item photo-7").hasMessageContaining("data.photo")
                .hasMessageContaining(Photo.class.getName());

        assertThat(fleet.count("SELECT count(*) FROM batch_fleet_jobs")).isZero();
        assertThat(fleet.count("SELECT count(*) FROM batch_fleet_outbox")).isZero();
    }

    @Test
    void badJobsAreRefusedBeforeAnythingIsWritten() throws Exception {
        StoreFixture fleet = new StoreFixture();
        String id = fleet.enqueue("m", 1);
        BatchJob<String> again = BatchJob.of("m", "tag", OverwritePolicy.SKIP, List.of(BatchItem.of("a", "x", SizeBucket.SMALL)))
                .withId(id);
        assertThatThrownBy(() -> Sql.inTransaction(fleet.db, c -> FleetJobs.enqueue(c, "n", again)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(id).hasMessageContaining("in use");
        BatchJob<String> twice = BatchJob.of("m", "tag", OverwritePolicy.SKIP,
                List.of(BatchItem.of("a", "x", SizeBucket.SMALL), BatchItem.of("a", "y", SizeBucket.SMALL)));
        assertThatThrownBy(() -> Sql.inTransaction(fleet.db, c -> FleetJobs.enqueue(c, "n", twice)))
                .hasMessageContaining("Item id a appears twice");
        assertThat(fleet.count("SELECT count(*) FROM batch_fleet_jobs")).isEqualTo(1);
    }
}
