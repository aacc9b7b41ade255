/**
 * The dashboard bundle: see and steer the batch queue in a browser. Not exported.
 *
 * <p>Written against {@code javax.servlet} 3.1 and the OSGi HTTP Whiteboard, and only against the public API:
 * the {@code BatchQueue} service and the {@code ai_batch/*} events. {@link ai.batch.queue.web.DashboardComponent}
 * (configuration PID {@code ai.batch.queue.web}) registers the dashboard servlet at the configured path and a Felix
 * Web Console plugin ({@code felix.webconsole.label=batch}).
 *
 * <h2>Stable hooks of the page, for browser tests</h2>
 * <ul>
 * <li>{@code window.bqVisible(text)}: how the page shows queue text (control and bidirectional characters as
 * {@code ⟨U+202E⟩}).</li>
 * <li>{@code #bq-root[data-base][data-actions-enabled]}: the view; {@code #bq-mode[data-mode=actions|read-only]};
 * {@code #bq-queue-state[data-paused]}; {@code #bq-loaded-model}; {@code #bq-resident-models};
 * {@code #bq-connection[data-state=connecting|open|closed]}; {@code #bq-message} (the last action's error).</li>
 * <li>Views: {@code #bq-tabs a[data-view=all|queued|running|finished|failed|cancelled]} (routes {@code #/},
 * {@code #/queued}, …) with {@code [data-count]}; the list {@code #bq-list}; filters {@code #bq-filter-model},
 * {@code #bq-filter-operation}, {@code #bq-filter-text}; {@code #bq-order-rule}; {@code #bq-queue-eta}.</li>
 * <li>Selection and bulk actions (actions only): {@code .bq-select[data-job-id]}, {@code #bq-select-all},
 * {@code #bq-selected-count}, {@code #bq-bulk button[data-bulk=cancel|retry|priority|purge]} with
 * {@code #bq-bulk-priority-value}.</li>
 * <li>Jobs: {@code #bq-job-rows tr.bq-job[data-job-id][data-status][data-model]} with cells {@code .bq-id a} (the
 * first 8 characters of the id), {@code .bq-model},
 * {@code .bq-operation}, {@code .bq-status}, {@code .bq-counts}, {@code .bq-priority},
 * {@code .bq-progress[data-done][data-failed][data-skipped][data-total]} (skipped counts cancelled items too),
 * {@code .bq-eta[data-eta-ms]} (text {@code paused} while paused), {@code .bq-start[data-expected-start]} (queued
 * jobs) and {@code .bq-status[data-paused=true]} on the running job while the queue is paused.</li>
 * <li>Buttons carry {@code data-action} and {@code data-job-id} (and {@code data-item-id}): per job
 * {@code details}, {@code cancel}, {@code retry}, {@code front}, and the {@code select[data-action=priority]};
 * per item {@code cancel-item}; global {@code #bq-pause}, {@code #bq-resume}, {@code #bq-retry-failed},
 * {@code #bq-purge-finished}. Action buttons exist only when actions are enabled.</li>
 * <li>Plan: {@code #bq-plan li.bq-plan-entry[data-job-id][data-position][data-reordered]} with
 * {@code .bq-reorder-note}. Models: {@code #bq-model-history li.bq-model-event[data-kind][data-model]}, newest
 * first; kinds {@code resource_switched}, {@code model_loading}, {@code model_loaded}, {@code model_unloaded}.</li>
 * <li>Charts: {@code #bq-charts .bq-chart[data-model]} with {@code svg.bq-throughput} and
 * {@code svg.bq-eta-accuracy} ({@code data-points}; without points a {@code .bq-chart-empty} sentence of the
 * same class); the residency chart {@code #bq-model-timeline svg.bq-residency rect.bq-stay[data-model]}.</li>
 * <li>Job page ({@code #/jobs/<id>}): {@code #bq-detail[data-job-id][data-status]} (class {@code bq-hidden} on the
 * list views), {@code #bq-item-rows tr.bq-item[data-item-id][data-status]} with {@code .bq-attempts},
 * {@code .bq-duration[data-duration-ms]}, {@code .bq-item-model}, {@code .bq-output}, {@code .bq-error} (with
 * {@code .bq-earlier-error} per earlier attempt), {@code .bq-item-started}, {@code .bq-item-finished};
 * {@code #bq-detail-close} (back to the list).</li>
 * </ul>
 */
package ai.batch.queue.web;
