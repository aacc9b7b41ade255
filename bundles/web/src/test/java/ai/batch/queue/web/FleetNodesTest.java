package ai.batch.queue.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;

/** The fleet's node table, as the plan shows it. */
class FleetNodesTest {

    private static final String TABLE = "{\"nodes\":[{\"node\":\"box-1\",\"state\":\"alive\",\"heartbeatAgeMs\":120,"
            + "\"epoch\":2,\"inFlight\":3,\"slots\":[{\"slot\":\"gpu\",\"serves\":[\"llava:13b\"],\"holds\":[\"llava:13b\"],"
            + "\"lanes\":2}]},{\"node\":\"box-2\",\"state\":\"dead\",\"heartbeatAgeMs\":15000,\"epoch\":5,\"inFlight\":0,"
            + "\"slots\":[]}]}";

    @Test
    void aSingleMachineHasNoNodes() {
        assertThat(new FleetNodes().view(1_000)).isEmpty();
    }

    @Test
    void theLatestTableShowsWithItsHeartbeatAgesBroughtUpToNow() {
        FleetNodes nodes = new FleetNodes();
        nodes.accept(TABLE, 10_000);

        ArrayNode view = nodes.view(10_500);

        assertThat(view).hasSize(2);
        assertThat(view.get(0).path("node").asText()).isEqualTo("box-1");
        assertThat(view.get(0).path("heartbeatAgeMs").asLong()).isEqualTo(620);
        assertThat(view.get(0).path("slots").get(0).path("lanes").asInt()).isEqualTo(2);
        assertThat(view.get(1).path("state").asText()).isEqualTo("dead");
    }

    @Test
    void somethingElseOnTheTopicLeavesTheLastTable() {
        FleetNodes nodes = new FleetNodes();
        nodes.accept(TABLE, 0);
        nodes.accept("not json", 1);
        nodes.accept(42, 2);
        nodes.accept("{\"nodes\":\"no\"}", 3);

        assertThat(nodes.view(0)).hasSize(2);
    }
}
