-- Fleet mode, schema version 1: nodes, their slots, jobs, items, learned timings, the event outbox.
-- Every time is the database clock's (now()), never a node's.

CREATE TABLE batch_fleet_nodes (
    node_id      text PRIMARY KEY,
    epoch        bigint      NOT NULL DEFAULT 1,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    stopped_at   timestamptz,
    dead_at      timestamptz,
    version      text
);

CREATE TABLE batch_fleet_slots (
    node_id  text    NOT NULL REFERENCES batch_fleet_nodes ON DELETE CASCADE,
    slot     text    NOT NULL,
    serves   text[]  NOT NULL,
    holds    text[]  NOT NULL DEFAULT '{}',
    loading  text,
    capacity integer NOT NULL DEFAULT 1,
    PRIMARY KEY (node_id, slot)
);

CREATE TABLE batch_fleet_jobs (
    job_id           text PRIMARY KEY,
    resource_key     text        NOT NULL,
    operation        text        NOT NULL,
    overwrite_policy text        NOT NULL,
    priority         text        NOT NULL,
    priority_rank    integer     NOT NULL,
    status           text        NOT NULL,
    total_items      integer     NOT NULL,
    open_items       integer     NOT NULL, -- pending or running: kept by every transition, under the job's lock
    plan_seq         bigserial   NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    completed_at     timestamptz
);
CREATE INDEX batch_fleet_jobs_open ON batch_fleet_jobs (resource_key, priority_rank DESC, plan_seq)
    WHERE status IN ('QUEUED', 'RUNNING');

CREATE TABLE batch_fleet_items (
    job_id      text    NOT NULL REFERENCES batch_fleet_jobs ON DELETE CASCADE,
    item_id     text    NOT NULL,
    position    integer NOT NULL,
    data        json,
    data_type   text,
    size_bucket text    NOT NULL,
    status      text    NOT NULL,
    error       text,
    duration_ms bigint,
    output      text,
    attempt     integer NOT NULL DEFAULT 0,
    lease_owner text,
    leased_at   timestamptz,
    not_before  timestamptz,
    PRIMARY KEY (job_id, item_id)
);
CREATE INDEX batch_fleet_items_pending ON batch_fleet_items (job_id, position) WHERE status = 'PENDING';
CREATE INDEX batch_fleet_items_open ON batch_fleet_items (job_id, item_id) WHERE status IN ('PENDING', 'RUNNING');
CREATE INDEX batch_fleet_items_leased ON batch_fleet_items (lease_owner) WHERE lease_owner IS NOT NULL;

CREATE TABLE batch_fleet_timings (
    resource_key text   NOT NULL,
    operation    text   NOT NULL,
    size_bucket  text   NOT NULL,
    samples      bigint NOT NULL,
    mean_ms      double precision NOT NULL,
    PRIMARY KEY (resource_key, operation, size_bucket)
);

CREATE TABLE batch_fleet_loads (
    resource_key text   NOT NULL PRIMARY KEY,
    samples      bigint NOT NULL,
    mean_ms      double precision NOT NULL
);

CREATE TABLE batch_fleet_outbox (
    seq     bigserial PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    node_id text,
    topic   text  NOT NULL,
    props   jsonb NOT NULL
);

CREATE TABLE batch_fleet_flags (
    name  text PRIMARY KEY,
    value boolean NOT NULL
);
