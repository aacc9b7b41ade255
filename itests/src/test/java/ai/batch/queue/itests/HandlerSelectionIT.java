package ai.batch.queue.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HandlerSelectionIT extends QueueTestSupport {

    private String runOne(String model) {
        String jobId = queue.enqueue(job(model, "tag", "x"));
        awaitCompleted(jobId, "completed");
        return snapshot(jobId).items().get(0).output();
    }

    @Test
    public void exactModelBeatsWildcardWhateverTheRanking() {
        handlers.register("wildcard", "*", 1000);
        handlers.register("exact", "select-a", -5);
        assertEquals("exact:x", runOne("select-a"));
        assertEquals("wildcard:x", runOne("select-unknown"));
    }

    @Test
    public void higherServiceRankingWins() {
        handlers.register("low", "select-b", 5);
        handlers.register("high", "select-b", 10);
        assertEquals("high:x", runOne("select-b"));
    }

    @Test
    public void lowerServiceIdWinsOnEqualRanking() {
        handlers.register("first", "select-c");
        handlers.register("second", "select-c");
        assertEquals("first:x", runOne("select-c"));
    }

    @Test
    public void handlerNamingSeveralModelsServesEach() {
        ScriptedHandler both = handlers.register("both", new String[] {"select-d", "select-e"}).handler();
        assertEquals("both:x", runOne("select-d"));
        assertEquals("both:x", runOne("select-e"));
        assertEquals(List.of("tag-1", "tag-1"), both.calls());
    }

    @Test
    public void unregisteringPreferredHandlerFallsBackToTheNextOne() {
        Handlers.Registered preferred = handlers.register("preferred", "select-f", 10);
        handlers.register("fallback", "select-f", 1);
        assertEquals("preferred:x", runOne("select-f"));
        preferred.unregister();
        assertEquals("fallback:x", runOne("select-f"));
        assertTrue(preferred.handler().calls().size() == 1);
    }
}
