package ai.batch.queue.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type that registers a Declarative Services component as a handler for the named models:
 *
 * <pre>
 * &#64;Component
 * &#64;BatchHandler(resource = "llava:13b")
 * public class LlavaTagger implements BatchItemHandler&lt;Path&gt; { … }
 * </pre>
 *
 * It sets the {@value BatchItemHandler#RESOURCE} service property.
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface BatchHandler {

    /** Prefix that maps {@link #resource()} to the {@code ai.batch.resource} property. */
    String PREFIX_ = "ai.batch.";

    /**
     * The models this handler serves; {@code "*"} serves any.
     *
     * @return resource keys such as {@code "llava:13b"}
     */
    String[] resource();

    /**
     * The class of the item data this handler takes, when it is not a JDK type (sets {@code ai.batch.dataType}).
     *
     * @return a class name, or empty
     * @since 1.1
     */
    String dataType() default "";

    /**
     * How many items of one job this thread-safe handler may process at the same time (sets
     * {@code ai.batch.concurrency}).
     *
     * @return from 1 to 256
     * @since 1.1
     */
    int concurrency() default 1;

    /**
     * How many items of one job this handler takes in one call to {@link BatchItemHandler#processBatch} (sets
     * {@code ai.batch.batchSize}).
     *
     * @return from 1 to 1024
     * @since 1.2
     */
    int batchSize() default 1;

    /**
     * The runtime instance this handler drives, making it a slot (sets {@code ai.batch.slot}; see
     * {@link BatchItemHandler#SLOT}).
     *
     * @return the slot's name, or empty for a plain handler
     * @since 1.4
     */
    String slot() default "";
}
