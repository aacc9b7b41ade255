package ai.batch.queue.ollama;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Factory configuration PID {@code ai.batch.queue.ollama}: one configuration per Ollama server. Every property of
 * a configuration also becomes a property of the handler and lifecycle services, which is how
 * {@code ai.batch.resource}, {@code ai.batch.batchSize} and {@code ai.batch.concurrency} reach the queue; the one
 * exception is {@code ai.batch.slot}, which the services carry resolved (derived when empty, absent for
 * {@code none}).
 */
@ObjectClassDefinition(name = "AI batch queue: Ollama server",
        description = "Runs the items of jobs for the listed models on one Ollama server, over its HTTP API, and "
                + "lets the queue load and unload those models. One configuration per server.")
public @interface OllamaConfig {

    /** The factory configuration PID. */
    String PID = "ai.batch.queue.ollama";

    @AttributeDefinition(name = "Server URL",
            description = "Base URL of the Ollama server, without /api.")
    String baseUrl() default "http://127.0.0.1:11434";

    @AttributeDefinition(name = "Models (ai.batch.resource)",
            description = "The models this server runs, as jobs name them (e.g. llava:13b). Required. Also the "
                    + "ai.batch.resource property of the handler and lifecycle services.")
    String[] ai_batch_resource();

    @AttributeDefinition(name = "Slot (ai.batch.slot)", required = false,
            description = "This server as a slot of the queue: one runtime of its own, so the queue runs a model's "
                    + "items on every slot that serves it and loads each model as few times as it can. Empty: "
                    + "named after the server URL's host and port (ollama@host:port). A name of your choosing "
                    + "(e.g. gpu-box-2) must differ between servers; configurations of one server share it. 'none': "
                    + "no slot, the handler serves its models alone as a plain handler. Also the ai.batch.slot "
                    + "property of the handler and lifecycle services.")
    String ai_batch_slot() default "";

    @AttributeDefinition(name = "Keep alive",
            description = "Ollama's keep_alive, sent with every request: how long the server keeps a model loaded "
                    + "after its last request (\"5m\", \"30s\", \"1h\", a number of seconds; -1 forever). "
                    + "Ollama keeps the most recent value, so one value for all requests.")
    String keepAlive() default "5m";

    @AttributeDefinition(name = "Request timeout (ms)",
            description = "Deadline of one item's request, from sending it to the end of the streamed answer, model "
                    + "load included.", min = "1")
    long requestTimeoutMs() default 600_000L;

    @AttributeDefinition(name = "Load timeout (ms)",
            description = "Deadline of a load or unload asked by the queue.", min = "1")
    long loadTimeoutMs() default 300_000L;

    @AttributeDefinition(name = "Connect timeout (ms)",
            description = "Deadline for opening a connection to the server.", min = "1")
    long connectTimeoutMs() default 5_000L;

    @AttributeDefinition(name = "Options",
            description = "Ollama options as a JSON object, e.g. {\"num_ctx\": 8192, \"temperature\": 0.2}. Sent "
                    + "unchanged with every request, so that load-relevant options (num_ctx, num_gpu, …) never make "
                    + "the server reload a model.")
    String options() default "{}";

    @AttributeDefinition(name = "Prompt for generate",
            description = "Prompt template of operation 'generate'; {input} stands for the item's text. Any "
                    + "operation can have one with a key prompt.<operation>.")
    String prompt_generate() default "{input}";

    @AttributeDefinition(name = "Prompt for caption",
            description = "Prompt template of operation 'caption'; {input} stands for the item's text or file name.")
    String prompt_caption() default "Describe this image in one sentence.";

    @AttributeDefinition(name = "Prompt for tag",
            description = "Prompt template of operation 'tag'; {input} stands for the item's text or file name.")
    String prompt_tag() default "List up to ten short tags for this image, comma-separated, and nothing else.";

    @AttributeDefinition(name = "Items per embed request (ai.batch.batchSize)",
            description = "How many items of an 'embed' job go to the server in one /api/embed request. Also the "
                    + "ai.batch.batchSize property of the handler service; other operations take the items of such "
                    + "a call one after the other.", min = "1", max = "1024")
    int ai_batch_batchSize() default 16;

    @AttributeDefinition(name = "Models loaded at once",
            description = "How many models the server holds at the same time (its OLLAMA_MAX_LOADED_MODELS, as far "
                    + "as memory allows).", min = "1")
    int capacity() default 1;

    @AttributeDefinition(name = "Largest response (bytes)",
            description = "A response bigger than this fails the item instead of filling the memory.", min = "1024")
    long maxResponseBytes() default 16L * 1024 * 1024;
}
