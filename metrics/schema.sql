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
    reference VARCHAR
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
    link VARCHAR
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
    note VARCHAR
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
    locator VARCHAR NOT NULL
);

CREATE TABLE milestones (
    milestone_date DATE NOT NULL,
    date_precision VARCHAR NOT NULL,
    date_rule VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    label VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    locator VARCHAR NOT NULL
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

-- Monthly returns (metrics/imports.py): one row per accepted file, in load order,
-- and every value each imported figure has had. observations holds the latest.
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
