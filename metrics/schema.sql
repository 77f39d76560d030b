-- Tables of the dashboard database. docs/SCHEMA.md documents every column and
-- tests/test_schema_doc.py keeps the two in step.

CREATE TABLE sources (
    source_id VARCHAR PRIMARY KEY,
    title VARCHAR NOT NULL,
    publisher VARCHAR NOT NULL,
    published DATE,
    published_precision VARCHAR,
    kind VARCHAR NOT NULL,
    licence VARCHAR NOT NULL,
    reference VARCHAR,
    -- How the publication date was read (docs/DATA_DICTIONARY.md, section 5):
    -- exact, start_of_month, or inferred_document_date for an undated document,
    -- with the inference in published_note.
    published_rule VARCHAR,
    published_note VARCHAR
);

CREATE TABLE metrics (
    metric_id VARCHAR PRIMARY KEY,
    label VARCHAR NOT NULL,
    unit VARCHAR,
    polarity VARCHAR NOT NULL CHECK (polarity IN ('higher', 'lower', 'neutral')),
    definition VARCHAR,
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    topic VARCHAR,
    dps INTEGER,
    year_type VARCHAR,
    quartiles_apply BOOLEAN NOT NULL,
    last_updated DATE,
    link VARCHAR,
    -- What a loaded figure may be (metrics.units): percent, count, rate, average or
    -- number; set by the build from the unit and the official values.
    value_kind VARCHAR CHECK (value_kind IN ('percent', 'count', 'rate', 'average', 'number')),
    next_update DATE,
    methodology VARCHAR
);

CREATE TABLE areas (
    area_code VARCHAR PRIMARY KEY,
    la_number INTEGER,
    area_name VARCHAR NOT NULL,
    level VARCHAR NOT NULL CHECK (level IN ('local authority', 'region', 'national')),
    region_code VARCHAR,
    region_name VARCHAR,
    is_current BOOLEAN NOT NULL
);

CREATE TABLE observations (
    metric_id VARCHAR NOT NULL REFERENCES metrics (metric_id),
    area_code VARCHAR NOT NULL,
    area_name VARCHAR NOT NULL,
    period_end DATE NOT NULL,
    period_label VARCHAR NOT NULL,
    date_precision VARCHAR NOT NULL,
    service_area VARCHAR,
    value DOUBLE,
    value_low DOUBLE,
    value_high DOUBLE,
    approximate BOOLEAN NOT NULL,
    qualifier VARCHAR,
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    locator VARCHAR NOT NULL,
    note VARCHAR,
    -- official: DfE and Ofsted files; report: figures quoted in documents; local:
    -- monthly returns (management information, not official statistics).
    origin VARCHAR NOT NULL CHECK (origin IN ('official', 'report', 'local')),
    -- How a report figure's date was read from a loose one (docs/DATA_DICTIONARY.md,
    -- section 5); NULL for official and local figures.
    date_rule VARCHAR
);

CREATE TABLE grade_scale (
    grade VARCHAR PRIMARY KEY,
    grade_rank INTEGER NOT NULL
);

CREATE TABLE ofsted_judgements (
    area_code VARCHAR NOT NULL,
    area_name VARCHAR NOT NULL,
    framework VARCHAR NOT NULL,
    inspection_type VARCHAR,
    inspection_start DATE NOT NULL,
    inspection_end DATE,
    date_precision VARCHAR NOT NULL,
    published DATE,
    overall_grade VARCHAR NOT NULL,
    grade_rank INTEGER NOT NULL,
    help_and_protection VARCHAR,
    children_in_care VARCHAR,
    care_leavers VARCHAR,
    leadership VARCHAR,
    adoption VARCHAR,
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    locator VARCHAR NOT NULL,
    -- Where the last day of the inspection is from: the report itself, where the
    -- national file gives only the first day (data/curated/ofsted_inspection_ends.csv).
    inspection_end_source_id VARCHAR REFERENCES sources (source_id),
    inspection_end_locator VARCHAR
);

CREATE TABLE milestones (
    milestone_date DATE NOT NULL,
    date_precision VARCHAR NOT NULL,
    date_rule VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    label VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    locator VARCHAR NOT NULL,
    note VARCHAR
);

CREATE TABLE targets (
    target_id VARCHAR PRIMARY KEY,
    area_code VARCHAR NOT NULL,
    grade VARCHAR NOT NULL REFERENCES grade_scale (grade),
    deadline DATE NOT NULL,
    deadline_precision VARCHAR NOT NULL,
    deadline_rule VARCHAR NOT NULL,
    set_on DATE NOT NULL,
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    locator VARCHAR NOT NULL
);

CREATE TABLE statistical_neighbours (
    area_code VARCHAR NOT NULL,
    neighbour_code VARCHAR NOT NULL,
    rank INTEGER NOT NULL,
    closeness VARCHAR,
    model VARCHAR NOT NULL
);

CREATE TABLE build_info (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);

CREATE TABLE build_report (
    severity VARCHAR NOT NULL,
    file VARCHAR NOT NULL,
    detail VARCHAR NOT NULL,
    row_count INTEGER NOT NULL
);

-- Loaded files (metrics/loading/): one row per accepted file, monthly return or
-- targets file, in load order; and every value each figure of a monthly return
-- (metrics/loading/returns.py) has had. observations holds the latest.
CREATE TABLE import_log (
    import_id INTEGER PRIMARY KEY,
    imported_at TIMESTAMP NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL UNIQUE,
    archive_file VARCHAR NOT NULL,
    default_area VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    rows_new INTEGER NOT NULL,
    rows_revised INTEGER NOT NULL,
    rows_unchanged INTEGER NOT NULL,
    kind VARCHAR NOT NULL,  -- a load kind of metrics/loading/kinds.toml
    loaded_by VARCHAR
);

CREATE TABLE observation_revisions (
    metric_id VARCHAR NOT NULL REFERENCES metrics (metric_id),
    area_code VARCHAR NOT NULL,
    period_end DATE NOT NULL,
    service_area VARCHAR,
    revision INTEGER NOT NULL,
    value DOUBLE NOT NULL,
    previous_value DOUBLE,
    note VARCHAR,
    import_id INTEGER NOT NULL REFERENCES import_log (import_id),
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    source_row INTEGER NOT NULL,
    locator VARCHAR NOT NULL
);

-- A judgement counts from the day it was published (else the last day of the
-- inspection, else its first day); only judgements made after the target was
-- set count towards it. The decisive inspection is the one whose judgement met the
-- target; for a target not met by its deadline, the first later judgement better
-- than the target's grade is the one that exceeded it.
CREATE VIEW target_status AS
WITH judged AS (
    SELECT
        area_code, framework, overall_grade, grade_rank, inspection_start,
        inspection_end, published,
        COALESCE(published, inspection_end, inspection_start) AS decided_on
    FROM ofsted_judgements
),
first_hit AS (
    SELECT t.target_id, j.framework, j.overall_grade, j.decided_on,
        j.inspection_start, j.inspection_end,
        row_number() OVER (PARTITION BY t.target_id ORDER BY j.decided_on) AS n
    FROM targets AS t
    JOIN grade_scale AS g ON g.grade = t.grade
    JOIN judged AS j
        ON j.area_code = t.area_code
        AND j.grade_rank <= g.grade_rank
        AND j.decided_on >= t.set_on
),
in_force AS (
    SELECT t.target_id, j.framework, j.overall_grade, j.decided_on,
        row_number() OVER (PARTITION BY t.target_id ORDER BY j.decided_on DESC) AS n
    FROM targets AS t
    JOIN judged AS j ON j.area_code = t.area_code AND j.decided_on <= t.deadline
),
first_better AS (
    SELECT t.target_id, j.overall_grade, j.published,
        row_number() OVER (PARTITION BY t.target_id ORDER BY j.decided_on) AS n
    FROM targets AS t
    JOIN grade_scale AS g ON g.grade = t.grade
    JOIN judged AS j
        ON j.area_code = t.area_code
        AND j.grade_rank < g.grade_rank
        AND j.decided_on > t.deadline
        AND j.decided_on >= t.set_on
)
SELECT
    t.target_id,
    t.area_code,
    t.grade,
    t.deadline,
    CASE
        WHEN h.decided_on IS NOT NULL AND h.decided_on <= t.deadline THEN 'met'
        WHEN h.decided_on IS NOT NULL THEN 'met late'
        WHEN current_date > t.deadline THEN 'missed'
        ELSE 'not yet due'
    END AS status,
    CASE
        WHEN h.decided_on IS NOT NULL
            THEN h.framework || ' judgement ' || h.overall_grade
        WHEN current_date > t.deadline AND f.decided_on IS NOT NULL
            THEN f.framework || ' judgement ' || f.overall_grade || ' in force at the deadline'
    END AS decided_by,
    CASE
        WHEN h.decided_on IS NOT NULL THEN h.decided_on
        WHEN current_date > t.deadline THEN t.deadline
    END AS decided_on,
    CASE WHEN h.decided_on IS NOT NULL THEN date_diff('day', t.deadline, h.decided_on) END
        AS days_from_deadline,
    h.inspection_start AS decisive_inspection_start,
    h.inspection_end AS decisive_inspection_end,
    date_diff('day', t.deadline, h.inspection_end) AS days_from_deadline_to_inspection_end,
    CASE WHEN h.decided_on IS NULL OR h.decided_on > t.deadline THEN b.overall_grade END
        AS first_exceeded_grade,
    CASE WHEN h.decided_on IS NULL OR h.decided_on > t.deadline THEN b.published END
        AS first_exceeded_published
FROM targets AS t
LEFT JOIN first_hit AS h ON h.target_id = t.target_id AND h.n = 1
LEFT JOIN in_force AS f ON f.target_id = t.target_id AND f.n = 1
LEFT JOIN first_better AS b ON b.target_id = t.target_id AND b.n = 1;

-- The latest judgement of each area.
CREATE VIEW latest_judgements AS
SELECT * FROM ofsted_judgements
QUALIFY row_number() OVER (
    PARTITION BY area_code
    ORDER BY COALESCE(published, inspection_end, inspection_start) DESC
) = 1;

-- Notes a page shows for one area only (data/curated/area_notes.csv). A text may
-- hold {value}, {previous} and {next}: the figure of metric_id for period_label and
-- for the periods either side, filled in from observations when shown.
CREATE TABLE area_notes (
    note_id VARCHAR PRIMARY KEY,
    area_code VARCHAR NOT NULL,
    page VARCHAR NOT NULL,
    section VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('warning', 'info')),
    text VARCHAR NOT NULL,
    metric_id VARCHAR REFERENCES metrics (metric_id),
    period_label VARCHAR,
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    locator VARCHAR NOT NULL
);

-- The improvement plan: targets files (metrics/loading/targets.py) loaded like monthly
-- returns, replayed by every build. plan_targets holds each checkpoint's latest
-- revision, target_revisions every value it has had.
CREATE TABLE plan_targets (
    area_code VARCHAR NOT NULL,
    metric_id VARCHAR NOT NULL REFERENCES metrics (metric_id),
    due DATE NOT NULL,
    target DOUBLE NOT NULL,
    direction VARCHAR NOT NULL CHECK (direction IN ('at least', 'at most')),
    direction_given BOOLEAN NOT NULL,
    note VARCHAR,
    revision INTEGER NOT NULL,
    import_id INTEGER NOT NULL REFERENCES import_log (import_id),
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    source_row INTEGER NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (area_code, metric_id, due)
);

CREATE TABLE target_revisions (
    area_code VARCHAR NOT NULL,
    metric_id VARCHAR NOT NULL REFERENCES metrics (metric_id),
    due DATE NOT NULL,
    revision INTEGER NOT NULL,
    target DOUBLE NOT NULL,
    direction VARCHAR NOT NULL,
    previous_target DOUBLE,
    previous_direction VARCHAR,
    note VARCHAR,
    import_id INTEGER NOT NULL REFERENCES import_log (import_id),
    source_row INTEGER NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);

-- The latest figure at or before the day a trajectory's first checkpoint was
-- loaded, recorded then (in the log row) so that a later release cannot move it.
CREATE TABLE plan_baselines (
    area_code VARCHAR NOT NULL,
    metric_id VARCHAR NOT NULL REFERENCES metrics (metric_id),
    value DOUBLE,
    period_end DATE,
    period_label VARCHAR,
    origin VARCHAR,
    recorded_on DATE NOT NULL,
    import_id INTEGER NOT NULL REFERENCES import_log (import_id),
    PRIMARY KEY (area_code, metric_id)
);

-- What changed in the official figures from one build to the next (metrics/
-- changes.py): one row per figure new, revised or removed, and, for Ofsted's
-- outcomes, per judgement (metric_id 'ofsted_judgement', period_end the inspection's
-- first day, the grades in old_text and new_text), kept across builds.
CREATE TABLE data_changes (
    build_id VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    metric_id VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL,
    period_end DATE NOT NULL,
    change VARCHAR NOT NULL CHECK (change IN ('new', 'revised', 'removed')),
    old_value DOUBLE,
    new_value DOUBLE,
    source VARCHAR,
    release VARCHAR,
    first_seen TIMESTAMP,
    old_text VARCHAR,
    new_text VARCHAR
);

-- One row per build that changed official figures, with its summary per file.
CREATE TABLE data_updates (
    build_id VARCHAR NOT NULL,
    built_at TIMESTAMP NOT NULL,
    source_file VARCHAR NOT NULL,
    periods_added VARCHAR,
    values_new INTEGER NOT NULL,
    values_revised INTEGER NOT NULL,
    values_removed INTEGER NOT NULL,
    measures_added INTEGER NOT NULL,
    measures_removed INTEGER NOT NULL,
    source VARCHAR,
    release VARCHAR,
    previous_release VARCHAR
);

-- Every file under data/raw the build recognised (metrics/releases.py): its source
-- (metrics/sources.py), release and whether the build used it; publication date,
-- address and when it was taken from data/provenance.csv where recorded.
CREATE TABLE source_releases (
    source VARCHAR NOT NULL,
    source_id VARCHAR,
    release VARCHAR NOT NULL,
    period_end DATE,
    part VARCHAR NOT NULL,
    file VARCHAR PRIMARY KEY,
    sha256 VARCHAR NOT NULL,
    in_use BOOLEAN NOT NULL,
    published DATE,
    url VARCHAR,
    fetched_at VARCHAR
);

-- Which release of each source every build used, kept across builds.
CREATE TABLE release_builds (
    build_id VARCHAR NOT NULL,
    built_at TIMESTAMP NOT NULL,
    source VARCHAR NOT NULL,
    release VARCHAR NOT NULL,
    file VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    published DATE,
    fetched_at VARCHAR
);

-- The improvement plan's checkpoints as they stood at a moment: each one's latest
-- revision loaded before ``known_at`` (target_revisions); NULL: as they stand now.
CREATE MACRO plan_targets_at(known_at) AS TABLE
SELECT area_code, metric_id, due, target, direction FROM plan_targets
WHERE known_at IS NULL
UNION ALL BY NAME
SELECT area_code, metric_id, due, target, direction FROM target_revisions
WHERE known_at IS NOT NULL AND loaded_at < known_at
QUALIFY row_number() OVER (
    PARTITION BY area_code, metric_id, due ORDER BY revision DESC) = 1;

-- The baselines recorded before the day of ``known_at`` (NULL: every one).
CREATE MACRO plan_baselines_at(known_at) AS TABLE
SELECT * FROM plan_baselines
WHERE known_at IS NULL OR recorded_on < CAST(known_at AS DATE);

-- Official and local whole-service figures as they were known at a moment
-- ``known_at`` (NULL: now). An official figure is taken back to the value before
-- the first change a later build recorded (data_changes: a figure first seen later
-- was not yet known); a local one to its latest revision loaded before ``known_at``.
CREATE MACRO figures_at(known_at) AS TABLE
WITH now_official AS (
    SELECT metric_id, area_code, period_end, period_label, value
    FROM observations WHERE origin = 'official' AND service_area IS NULL
),
later AS (
    SELECT metric_id, area_code, period_end, change, old_value
    FROM data_changes
    WHERE known_at IS NOT NULL AND first_seen >= known_at
      AND metric_id <> 'ofsted_judgement'
    QUALIFY row_number() OVER (
        PARTITION BY metric_id, area_code, period_end ORDER BY first_seen) = 1
),
local_then AS (
    SELECT r.metric_id, r.area_code, r.period_end, r.value
    FROM observation_revisions AS r JOIN import_log AS l USING (import_id)
    WHERE known_at IS NOT NULL AND r.service_area IS NULL AND l.imported_at < known_at
    QUALIFY row_number() OVER (
        PARTITION BY r.metric_id, r.area_code, r.period_end
        ORDER BY r.revision DESC) = 1
)
SELECT metric_id, area_code, period_end, period_label, value, origin
FROM observations
WHERE known_at IS NULL AND origin IN ('official', 'local') AND service_area IS NULL
UNION ALL
SELECT coalesce(n.metric_id, l.metric_id), coalesce(n.area_code, l.area_code),
       coalesce(n.period_end, l.period_end),
       coalesce(n.period_label, strftime(coalesce(n.period_end, l.period_end), '%Y')),
       CASE WHEN l.metric_id IS NULL THEN n.value ELSE l.old_value END, 'official'
FROM now_official AS n
FULL OUTER JOIN later AS l USING (metric_id, area_code, period_end)
WHERE known_at IS NOT NULL AND (l.metric_id IS NULL OR l.change <> 'new')
UNION ALL
SELECT t.metric_id, t.area_code, t.period_end,
       coalesce(o.period_label, strftime(t.period_end, '%b %Y')), t.value, 'local'
FROM local_then AS t
LEFT JOIN observations AS o
  ON o.origin = 'local' AND o.service_area IS NULL AND o.metric_id = t.metric_id
 AND o.area_code = t.area_code AND o.period_end = t.period_end;

-- Each checkpoint's status on a day (docs/DATA_DICTIONARY.md, "Status against the
-- improvement plan") from the checkpoints and figures as they were known at
-- ``known_at`` (NULL: now). A figure is the area's whole-service value for a
-- period, official where an official and a local figure share the period.
CREATE MACRO kpi_status_known(day, known_at) AS TABLE
WITH targets AS (SELECT * FROM plan_targets_at(known_at)),
figures AS (
    SELECT area_code, metric_id, period_end, period_label, value, origin
    FROM figures_at(known_at)
    WHERE value IS NOT NULL
      -- Only the planned measures' figures: ranking every observation first took
      -- twice as long (10x data in python -m bench: 100 ms against 46 ms).
      AND (area_code, metric_id) IN (SELECT area_code, metric_id FROM targets)
    QUALIFY row_number() OVER (
        PARTITION BY area_code, metric_id, period_end
        ORDER BY origin = 'official' DESC) = 1
),
checkpoints AS (
    SELECT t.area_code, t.metric_id, t.due, t.target, t.direction,
           coalesce(lag(t.due) OVER w, b.period_end) AS start_date,
           coalesce(lag(t.target) OVER w, b.value) AS start_value
    FROM targets AS t
    LEFT JOIN plan_baselines_at(known_at) AS b USING (area_code, metric_id)
    WINDOW w AS (PARTITION BY t.area_code, t.metric_id ORDER BY t.due)
),
actuals AS (
    SELECT c.area_code, c.metric_id, c.due, f.value, f.period_end, f.period_label,
           f.origin
    FROM checkpoints AS c
    JOIN figures AS f ON f.area_code = c.area_code AND f.metric_id = c.metric_id
     AND (c.due >= day OR f.period_end <= c.due)
    QUALIFY row_number() OVER (
        PARTITION BY c.area_code, c.metric_id, c.due ORDER BY f.period_end DESC) = 1
),
judged AS (
    SELECT c.*, a.value AS actual, a.period_end AS actual_period_end,
           a.period_label AS actual_period_label, a.origin AS actual_origin,
           CASE
               WHEN a.value IS NULL THEN NULL
               WHEN c.start_date IS NULL OR c.start_value IS NULL
                    OR c.start_date >= c.due THEN c.target
               ELSE c.start_value + (c.target - c.start_value) * greatest(0, least(1,
                   date_diff('day', c.start_date, a.period_end)
                   / date_diff('day', c.start_date, c.due)))
           END AS expected
    FROM checkpoints AS c
    LEFT JOIN actuals AS a USING (area_code, metric_id, due)
)
SELECT area_code, metric_id, due, target, direction, actual, actual_period_end,
       CASE
           WHEN due < day THEN CASE
               WHEN actual IS NULL OR actual_period_end <= due - INTERVAL 12 MONTH
                   THEN 'no data'
               WHEN (direction = 'at least' AND actual >= target - 1e-9)
                 OR (direction = 'at most' AND actual <= target + 1e-9) THEN 'met'
               ELSE 'missed' END
           ELSE CASE
               WHEN actual IS NULL THEN 'no data'
               WHEN (direction = 'at least' AND actual >= expected - 1e-9)
                 OR (direction = 'at most' AND actual <= expected + 1e-9)
                   THEN 'on track'
               ELSE 'off track' END
       END AS status,
       actual_period_label, actual_origin, start_date, start_value, expected
FROM judged;

-- Each checkpoint's status on a day, from the checkpoints and figures held now.
CREATE MACRO kpi_status_on(day) AS TABLE SELECT * FROM kpi_status_known(day, NULL);

CREATE VIEW kpi_status AS SELECT * FROM kpi_status_on(current_date);
