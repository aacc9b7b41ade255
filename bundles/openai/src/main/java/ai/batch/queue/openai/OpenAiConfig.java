package ai.batch.queue.openai;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One OpenAI-compatible server: factory PID {@value #PID}, one configuration per server. Every property except
 * the API key (a private {@code .apiKey} property) is also a property of the handler service, so
 * {@code ai.batch.resource}, {@code ai.batch.batchSize} and {@code ai.batch.concurrency} steer the queue directly;
 * {@code ai.batch.slot} reaches the handler and lifecycle services resolved (derived when empty, absent for
 * {@code none}).
 */
@ObjectClassDefinition(
        name = "ai-batch-queue OpenAI-compatible server",
        description = "A handler for an OpenAI-compatible model server (llama.cpp server, vLLM, LM Studio, Ollama's "
                + "/v1). One configuration per server.")
public @interface OpenAiConfig {

    /** The factory PID. */
    String PID = "ai.batch.queue.openai";

    @AttributeDefinition(name = "Base URL", description = "The server's OpenAI API root, ending before "
            + "/chat/completions, e.g. http://127.0.0.1:8080/v1. Credentials do not belong here: use the API key.")
    String baseUrl() default "http://127.0.0.1:8080/v1";

    @AttributeDefinition(name = "API key", type = AttributeType.PASSWORD, required = false,
            description = "Sent as 'Authorization: Bearer <key>'; empty sends no Authorization header. A private "
                    + "property (.apiKey): never a service property, never logged.")
    String _apiKey() default "";

    @AttributeDefinition(name = "Models", description = "The models (resource keys) this server serves, sent as "
            + "the request's 'model'; '*' serves any. The handler's ai.batch.resource service property.")
    String[] ai_batch_resource() default {};

    @AttributeDefinition(name = "Slot", required = false, description = "This server as a slot of the queue: one "
            + "runtime of its own, so the queue runs a model's items on every slot that serves it and loads each "
            + "model as few times as it can. Empty: named after the base URL's host and port (openai@host:port). "
            + "A name of your choosing (e.g. gpu-box-2) must differ between servers; configurations of one server "
            + "share it. 'none': no slot, a plain handler for its models. The ai.batch.slot property of the "
            + "handler and model lifecycle services.")
    String ai_batch_slot() default "";

    @AttributeDefinition(name = "Request timeout (ms)", description = "The longest one request may take, "
            + "connecting and reading the whole response included.")
    long request_timeout_ms() default 300_000;

    @AttributeDefinition(name = "Max response size (bytes)", description = "Responses longer than this fail the "
            + "item for good, without reading further.")
    long response_maxBytes() default 16L * 1024 * 1024;

    @AttributeDefinition(name = "System prompt", required = false, description = "Sent as the system message of "
            + "chat, caption, tag and generate requests; empty sends none.")
    String system_prompt() default "";

    @AttributeDefinition(name = "Chat prompt", required = false, description = "The user message for 'chat'; "
            + "{prompt} stands for the item's prompt. Empty: the item's prompt as it is.")
    String prompt_chat() default "";

    @AttributeDefinition(name = "Generate prompt", required = false, description = "The user message for "
            + "'generate'; {prompt} stands for the item's prompt. Empty: the item's prompt as it is.")
    String prompt_generate() default "";

    @AttributeDefinition(name = "Caption prompt", description = "The user message for 'caption'; {prompt} stands "
            + "for the item's prompt.")
    String prompt_caption() default "Write a one-sentence caption for this image. {prompt}";

    @AttributeDefinition(name = "Tag prompt", description = "The user message for 'tag'; {prompt} stands for the "
            + "item's prompt.")
    String prompt_tag() default "List five to ten short tags for this image, comma-separated, nothing else. "
            + "{prompt}";

    @AttributeDefinition(name = "Extra body options (JSON)", required = false, description = "A JSON object "
            + "merged into every chat request body, e.g. {\"temperature\":0.2,\"max_tokens\":256}. 'model', "
            + "'messages', 'input' and 'stream' are set by the handler and win.")
    String body_options() default "";

    @AttributeDefinition(name = "Embed batch size", description = "Items per /embeddings request (the "
            + "ai.batch.batchSize service property, 1 to 1024). Other operations send one request per item.")
    int ai_batch_batchSize() default 16;

    @AttributeDefinition(name = "Concurrent items", description = "How many requests of one job may run at the "
            + "same time (the ai.batch.concurrency service property, 1 to 256).")
    int ai_batch_concurrency() default 1;

    @AttributeDefinition(name = "Model lifecycle", description = "auto: register a model lifecycle service when "
            + "the server offers llama.cpp's router endpoints (GET /models with a status per model, POST "
            + "/models/load and /models/unload); none: never.",
            options = {@Option(value = "auto", label = "auto"), @Option(value = "none", label = "none")})
    String lifecycle() default "auto";

    @AttributeDefinition(name = "Router capacity", description = "How many models the llama.cpp router holds at "
            + "once (its --models-max; llama.cpp's default is 4).")
    int lifecycle_capacity() default 4;

    @AttributeDefinition(name = "Model load timeout (ms)", description = "The longest a router load or unload "
            + "may take before it is reported as failed.")
    long lifecycle_timeout_ms() default 300_000;
}
