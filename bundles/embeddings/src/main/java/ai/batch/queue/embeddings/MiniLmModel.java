package ai.batch.queue.embeddings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * all-MiniLM-L6-v2 (quantized) in ONNX Runtime: one session and its tokenizer, loaded from this bundle's
 * resources. {@link #embed} is thread-safe; {@link #close} must not overlap it (the caller sees to that).
 */
final class MiniLmModel implements AutoCloseable {

    /** Length of every embedding. */
    static final int DIMENSION = 384;

    /** Tokens per text, as the model was trained; longer texts are cut. */
    static final int MAX_TOKENS = 256;

    private static final String MODEL = "/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean takesTypeIds;
    private final long sizeBytes;

    private MiniLmModel(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer,
            long sizeBytes) {
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.takesTypeIds = session.getInputNames().contains("token_type_ids");
        this.sizeBytes = sizeBytes;
    }

    /**
     * Loads the model and its tokenizer.
     *
     * @param nativeCacheDir where the tokenizer's native library is unpacked, unless the environment says
     *        otherwise ({@code DJL_CACHE_DIR} or {@code ENGINE_CACHE_DIR})
     * @return the ready model
     * @throws IOException if a resource is missing
     * @throws OrtException if ONNX Runtime cannot create the session
     */
    static MiniLmModel load(Path nativeCacheDir) throws IOException, OrtException {
        byte[] onnx = resource(MODEL);
        HuggingFaceTokenizer tokenizer = NativeCache.withCacheDir(nativeCacheDir, () -> {
            try (InputStream json = MiniLmModel.class.getResourceAsStream(TOKENIZER)) {
                if (json == null) {
                    throw new IOException("The bundle has no " + TOKENIZER);
                }
                return HuggingFaceTokenizer.newInstance(json, Map.of(
                        "addSpecialTokens", "true",
                        "truncation", "true",
                        "padding", "false",
                        "maxLength", String.valueOf(MAX_TOKENS)));
            }
        });
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return new MiniLmModel(environment, environment.createSession(onnx, options), tokenizer,
                    onnx.length);
        } catch (OrtException | RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = MiniLmModel.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("The bundle has no " + name);
            }
            return in.readAllBytes();
        }
    }

    /** @return the size of the model's weights in bytes */
    long sizeBytes() {
        return sizeBytes;
    }

    /**
     * Embeds texts: one tokenizer call for all of them, then one model run per text, each text's token vectors
     * averaged over its tokens (mean pooling with the attention mask) and scaled to unit length.
     *
     * <p>Why not one padded run for the whole batch: this is the dynamically quantized model, whose int8 scales
     * are computed over the whole input tensor. In one run the texts change each other's vectors (cosine 0.98 to
     * 0.99 to the text alone, measured here), so a text's embedding would depend on which items the queue
     * happened to group with it. Run by run the vector of a text is always the same, and on two cores the padded
     * run was only 10 to 25 % faster.
     *
     * @param texts at least one text, none null
     * @return one vector of {@link #DIMENSION} floats per text, in the same order
     * @throws OrtException if inference fails
     */
    float[][] embed(List<String> texts) throws OrtException {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        float[][] vectors = new float[encodings.length][];
        for (int i = 0; i < encodings.length; i++) {
            vectors[i] = run(encodings[i]);
        }
        return vectors;
    }

    private float[] run(Encoding encoding) throws OrtException {
        long[] mask = encoding.getAttentionMask();
        try (OnnxTensor ids = OnnxTensor.createTensor(environment, new long[][] {encoding.getIds()});
                OnnxTensor attention = OnnxTensor.createTensor(environment, new long[][] {mask});
                OnnxTensor types = OnnxTensor.createTensor(environment, new long[][] {encoding.getTypeIds()})) {
            Map<String, OnnxTensor> inputs = takesTypeIds
                    ? Map.of("input_ids", ids, "attention_mask", attention, "token_type_ids", types)
                    : Map.of("input_ids", ids, "attention_mask", attention);
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] tokens = (float[][][]) result.get(0).getValue();
                return normalize(meanPool(tokens[0], mask));
            }
        }
    }

    private static float[] meanPool(float[][] tokens, long[] mask) {
        float[] sum = new float[tokens[0].length];
        int count = 0;
        for (int t = 0; t < tokens.length; t++) {
            if (mask[t] != 0) {
                count++;
                for (int d = 0; d < sum.length; d++) {
                    sum[d] += tokens[t][d];
                }
            }
        }
        for (int d = 0; d < sum.length; d++) {
            sum[d] /= Math.max(count, 1);
        }
        return sum;
    }

    private static float[] normalize(float[] vector) {
        double squares = 0;
        for (float value : vector) {
            squares += value * value;
        }
        double norm = Math.max(Math.sqrt(squares), 1e-12);
        for (int d = 0; d < vector.length; d++) {
            vector[d] = (float) (vector[d] / norm);
        }
        return vector;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // the session's memory is gone with the process at the latest; nothing else to do
        } finally {
            tokenizer.close();
        }
    }
}
