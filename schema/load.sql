-- peacetrack schema 1.0.0: loads this release into DuckDB with every key and check.
-- Run it in this folder: duckdb peacetrack.duckdb < load.sql   (generated; do not edit)

CREATE TYPE actor_type AS ENUM ('state', 'person', 'legislature', 'government_agency', 'armed_force', 'company', 'group', 'international_org');
CREATE TYPE country_code AS ENUM ('ABW', 'AFG', 'AGO', 'AIA', 'ALA', 'ALB', 'AND', 'ARE', 'ARG', 'ARM', 'ASM', 'ATA', 'ATF', 'ATG', 'AUS', 'AUT', 'AZE', 'BDI', 'BEL', 'BEN', 'BES', 'BFA', 'BGD', 'BGR', 'BHR', 'BHS', 'BIH', 'BLM', 'BLR', 'BLZ', 'BMU', 'BOL', 'BRA', 'BRB', 'BRN', 'BTN', 'BVT', 'BWA', 'CAF', 'CAN', 'CCK', 'CHE', 'CHL', 'CHN', 'CIV', 'CMR', 'COD', 'COG', 'COK', 'COL', 'COM', 'CPV', 'CRI', 'CUB', 'CUW', 'CXR', 'CYM', 'CYP', 'CZE', 'DEU', 'DJI', 'DMA', 'DNK', 'DOM', 'DZA', 'ECU', 'EGY', 'ERI', 'ESH', 'ESP', 'EST', 'ETH', 'FIN', 'FJI', 'FLK', 'FRA', 'FRO', 'FSM', 'GAB', 'GBR', 'GEO', 'GGY', 'GHA', 'GIB', 'GIN', 'GLP', 'GMB', 'GNB', 'GNQ', 'GRC', 'GRD', 'GRL', 'GTM', 'GUF', 'GUM', 'GUY', 'HKG', 'HMD', 'HND', 'HRV', 'HTI', 'HUN', 'IDN', 'IMN', 'IND', 'IOT', 'IRL', 'IRN', 'IRQ', 'ISL', 'ISR', 'ITA', 'JAM', 'JEY', 'JOR', 'JPN', 'KAZ', 'KEN', 'KGZ', 'KHM', 'KIR', 'KNA', 'KOR', 'KWT', 'LAO', 'LBN', 'LBR', 'LBY', 'LCA', 'LIE', 'LKA', 'LSO', 'LTU', 'LUX', 'LVA', 'MAC', 'MAF', 'MAR', 'MCO', 'MDA', 'MDG', 'MDV', 'MEX', 'MHL', 'MKD', 'MLI', 'MLT', 'MMR', 'MNE', 'MNG', 'MNP', 'MOZ', 'MRT', 'MSR', 'MTQ', 'MUS', 'MWI', 'MYS', 'MYT', 'NAM', 'NCL', 'NER', 'NFK', 'NGA', 'NIC', 'NIU', 'NLD', 'NOR', 'NPL', 'NRU', 'NZL', 'OMN', 'PAK', 'PAN', 'PCN', 'PER', 'PHL', 'PLW', 'PNG', 'POL', 'PRI', 'PRK', 'PRT', 'PRY', 'PSE', 'PYF', 'QAT', 'REU', 'ROU', 'RUS', 'RWA', 'SAU', 'SDN', 'SEN', 'SGP', 'SGS', 'SHN', 'SJM', 'SLB', 'SLE', 'SLV', 'SMR', 'SOM', 'SPM', 'SRB', 'SSD', 'STP', 'SUR', 'SVK', 'SVN', 'SWE', 'SWZ', 'SXM', 'SYC', 'SYR', 'TCA', 'TCD', 'TGO', 'THA', 'TJK', 'TKL', 'TKM', 'TLS', 'TON', 'TTO', 'TUN', 'TUR', 'TUV', 'TWN', 'TZA', 'UGA', 'UKR', 'UMI', 'URY', 'USA', 'UZB', 'VAT', 'VCT', 'VEN', 'VGB', 'VIR', 'VNM', 'VUT', 'WLF', 'WSM', 'YEM', 'ZAF', 'ZMB', 'ZWE');
CREATE TYPE statement_kind AS ENUM ('direct_quote', 'paraphrase');
CREATE TYPE topic AS ENUM ('peace_process', 'military_buildup', 'foreign_military_support', 'defence_industry', 'border_security', 'sovereignty', 'mediation');
CREATE TYPE event_type AS ENUM ('AGREE', 'CONSULT', 'SUPPORT', 'CONCEDE', 'COOPERATE', 'AID', 'RETREAT', 'REQUEST', 'ACCUSE', 'REJECT', 'THREATEN', 'PROTEST', 'SANCTION', 'MOBILIZE', 'COERCE', 'ASSAULT');
CREATE TYPE date_precision AS ENUM ('day', 'month', 'year', 'unknown');
CREATE TYPE date_basis AS ENUM ('stated', 'inferred');
CREATE TYPE item_category AS ENUM ('armoured_vehicle', 'vehicle_components', 'air_defence_missile', 'radar', 'small_arms', 'optics', 'communications', 'body_armour', 'uav', 'mines', 'munitions', 'other');
CREATE TYPE transfer_status AS ENUM ('delivered', 'ordered', 'planned', 'unknown');
CREATE TYPE certainty AS ENUM ('stated', 'reported', 'alleged');
CREATE TYPE negotiation_format AS ENUM ('draft_exchange', 'bilateral_meeting', 'mediated_meeting', 'summit', 'other');
CREATE TYPE claim_table AS ENUM ('actors', 'statements', 'military_transfers', 'negotiation_rounds');

CREATE TABLE sources (
    source_id VARCHAR PRIMARY KEY CHECK (regexp_full_match(source_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    title VARCHAR CHECK (regexp_full_match(title, '^[^\x00-\x1f\x7f-\x9f]*$')),
    publisher VARCHAR CHECK (regexp_full_match(publisher, '^[^\x00-\x1f\x7f-\x9f]*$')),
    url VARCHAR CHECK (regexp_full_match(url, '^[^\x00-\x1f\x7f-\x9f]*$')),
    published_on DATE,
    language VARCHAR NOT NULL CHECK (regexp_full_match(language, '^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$')),
    text_sha256 VARCHAR NOT NULL CHECK (regexp_full_match(text_sha256, '^[0-9a-f]{64}$')),
    text_in_repo BOOLEAN NOT NULL,
    char_count BIGINT NOT NULL CHECK (char_count >= 1),
    notes VARCHAR CHECK (regexp_full_match(notes, '^[^\x00-\x1f\x7f-\x9f]*$'))
);
COMMENT ON TABLE sources IS 'Source texts the rows are coded from.';
COMMENT ON COLUMN sources.source_id IS 'Slug of the source, e.g. `aliyev-milli-majlis-2024-09-23`.';
COMMENT ON COLUMN sources.title IS 'Headline as published; null when the source has none.';
COMMENT ON COLUMN sources.publisher IS 'Publisher as named; null when unknown.';
COMMENT ON COLUMN sources.url IS 'Address of the source as published; null when unknown.';
COMMENT ON COLUMN sources.published_on IS 'Date of publication; null when unknown.';
COMMENT ON COLUMN sources.language IS 'Language of the text, BCP 47 (`en`).';
COMMENT ON COLUMN sources.text_sha256 IS 'SHA-256 of the source text''s UTF-8 bytes, lowercase hex.';
COMMENT ON COLUMN sources.text_in_repo IS 'Whether `seeds/<source_id>/article.txt` is committed.';
COMMENT ON COLUMN sources.char_count IS 'Length of the source text in Unicode code points.';
COMMENT ON COLUMN sources.notes IS 'How dates were resolved and what is unknown.';

CREATE TABLE actors (
    actor_id VARCHAR PRIMARY KEY CHECK (regexp_full_match(actor_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    name VARCHAR NOT NULL CHECK (regexp_full_match(name, '^[^\x00-\x1f\x7f-\x9f]*$')),
    actor_type actor_type NOT NULL,
    country country_code,
    parent_id VARCHAR REFERENCES actors (actor_id) CHECK (regexp_full_match(parent_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    role VARCHAR CHECK (regexp_full_match(role, '^[^\x00-\x1f\x7f-\x9f]*$')),
    aliases VARCHAR[] NOT NULL
);
COMMENT ON TABLE actors IS 'Real-world actors: states, people, forces, companies, groups.';
COMMENT ON COLUMN actors.actor_id IS 'Slug of the actor: ISO alpha-3 in lower case for states (`aze`).';
COMMENT ON COLUMN actors.name IS 'Canonical English name.';
COMMENT ON COLUMN actors.actor_type IS 'What kind of actor this is.';
COMMENT ON COLUMN actors.country IS 'ISO 3166-1 alpha-3 code of the actor''s country; null when none or unknown.';
COMMENT ON COLUMN actors.parent_id IS 'The actor this one is part of (`us-air-force` → `usa`); null when none.';
COMMENT ON COLUMN actors.role IS 'Office or function, e.g. `President of Azerbaijan`.';
COMMENT ON COLUMN actors.aliases IS 'Names used for the actor in sources.';

CREATE TABLE statements (
    statement_id VARCHAR PRIMARY KEY CHECK (regexp_full_match(statement_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    speaker_id VARCHAR NOT NULL REFERENCES actors (actor_id) CHECK (regexp_full_match(speaker_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    target_id VARCHAR REFERENCES actors (actor_id) CHECK (regexp_full_match(target_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    kind statement_kind NOT NULL,
    quote VARCHAR CHECK (regexp_full_match(quote, '^[^\x00-\x1f\x7f-\x9f]*$')),
    summary VARCHAR NOT NULL CHECK (regexp_full_match(summary, '^[^\x00-\x1f\x7f-\x9f]*$')),
    topic topic NOT NULL,
    event_type event_type,
    occasion VARCHAR CHECK (regexp_full_match(occasion, '^[^\x00-\x1f\x7f-\x9f]*$')),
    source_id VARCHAR NOT NULL REFERENCES sources (source_id) CHECK (regexp_full_match(source_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    canonical_id VARCHAR NOT NULL CHECK (regexp_full_match(canonical_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    date_start DATE,
    date_end DATE,
    date_precision date_precision NOT NULL,
    date_basis date_basis
);
COMMENT ON TABLE statements IS 'Who said what, about whom, when, as one source reports it.';
COMMENT ON COLUMN statements.statement_id IS 'Slug of the statement.';
COMMENT ON COLUMN statements.speaker_id IS 'The actor who spoke.';
COMMENT ON COLUMN statements.target_id IS 'The actor the statement is about or aimed at.';
COMMENT ON COLUMN statements.kind IS 'A direct quote or the source''s paraphrase.';
COMMENT ON COLUMN statements.quote IS 'The speaker''s words verbatim, without quotation marks; null for a paraphrase.';
COMMENT ON COLUMN statements.summary IS 'The coder''s one-line English summary.';
COMMENT ON COLUMN statements.topic IS 'What the statement is about.';
COMMENT ON COLUMN statements.event_type IS 'PLOVER event type; null where none fits.';
COMMENT ON COLUMN statements.occasion IS 'Where or at what event it was said.';
COMMENT ON COLUMN statements.source_id IS 'The source that reports this row.';
COMMENT ON COLUMN statements.canonical_id IS 'Shared by rows of different sources that report the same real-world thing; equals the row''s own id where no other source reports it.';
COMMENT ON COLUMN statements.date_start IS 'First day of the interval (inclusive); null if open.';
COMMENT ON COLUMN statements.date_end IS 'Last day of the interval (inclusive); null if open.';
COMMENT ON COLUMN statements.date_precision IS 'How precisely the source dates the row.';
COMMENT ON COLUMN statements.date_basis IS 'Whether the source states the date or it was inferred; null when there is no date.';

CREATE TABLE military_transfers (
    transfer_id VARCHAR PRIMARY KEY CHECK (regexp_full_match(transfer_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    supplier_id VARCHAR NOT NULL REFERENCES actors (actor_id) CHECK (regexp_full_match(supplier_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    recipient_id VARCHAR NOT NULL REFERENCES actors (actor_id) CHECK (regexp_full_match(recipient_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    end_user_id VARCHAR REFERENCES actors (actor_id) CHECK (regexp_full_match(end_user_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    item VARCHAR NOT NULL CHECK (regexp_full_match(item, '^[^\x00-\x1f\x7f-\x9f]*$')),
    item_category item_category NOT NULL,
    manufacturer_id VARCHAR REFERENCES actors (actor_id) CHECK (regexp_full_match(manufacturer_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    quantity BIGINT CHECK (quantity >= 1),
    status transfer_status NOT NULL,
    certainty certainty NOT NULL,
    carrier VARCHAR CHECK (regexp_full_match(carrier, '^[^\x00-\x1f\x7f-\x9f]*$')),
    notes VARCHAR CHECK (regexp_full_match(notes, '^[^\x00-\x1f\x7f-\x9f]*$')),
    source_id VARCHAR NOT NULL REFERENCES sources (source_id) CHECK (regexp_full_match(source_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    canonical_id VARCHAR NOT NULL CHECK (regexp_full_match(canonical_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    date_start DATE,
    date_end DATE,
    date_precision date_precision NOT NULL,
    date_basis date_basis
);
COMMENT ON TABLE military_transfers IS 'Transfers of military equipment as one source reports them (after SIPRI).';
COMMENT ON COLUMN military_transfers.transfer_id IS 'Slug of the transfer.';
COMMENT ON COLUMN military_transfers.supplier_id IS 'The supplying actor.';
COMMENT ON COLUMN military_transfers.recipient_id IS 'The receiving actor.';
COMMENT ON COLUMN military_transfers.end_user_id IS 'The end user, where the source names one.';
COMMENT ON COLUMN military_transfers.item IS 'Designation as the source gives it (`Bastion`, `sniper rifles`).';
COMMENT ON COLUMN military_transfers.item_category IS 'Category of the item.';
COMMENT ON COLUMN military_transfers.manufacturer_id IS 'The manufacturer, where the source names one.';
COMMENT ON COLUMN military_transfers.quantity IS 'Number of items, only where the source gives one.';
COMMENT ON COLUMN military_transfers.status IS 'Delivery status as the source reports it.';
COMMENT ON COLUMN military_transfers.certainty IS 'stated: the source asserts it; reported: the source hedges; alleged: a party claims it.';
COMMENT ON COLUMN military_transfers.carrier IS 'How it was carried, e.g. `2 × Boeing C-17 (US Air Force)`.';
COMMENT ON COLUMN military_transfers.notes IS 'Anything else the source says about the transfer.';
COMMENT ON COLUMN military_transfers.source_id IS 'The source that reports this row.';
COMMENT ON COLUMN military_transfers.canonical_id IS 'Shared by rows of different sources that report the same real-world thing; equals the row''s own id where no other source reports it.';
COMMENT ON COLUMN military_transfers.date_start IS 'First day of the interval (inclusive); null if open.';
COMMENT ON COLUMN military_transfers.date_end IS 'Last day of the interval (inclusive); null if open.';
COMMENT ON COLUMN military_transfers.date_precision IS 'How precisely the source dates the row.';
COMMENT ON COLUMN military_transfers.date_basis IS 'Whether the source states the date or it was inferred; null when there is no date.';

CREATE TABLE negotiation_rounds (
    round_id VARCHAR PRIMARY KEY CHECK (regexp_full_match(round_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    process VARCHAR NOT NULL CHECK (regexp_full_match(process, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    round_number BIGINT CHECK (round_number >= 1),
    parties VARCHAR[] NOT NULL CHECK (len(parties) >= 2),
    mediator_id VARCHAR REFERENCES actors (actor_id) CHECK (regexp_full_match(mediator_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    format negotiation_format NOT NULL,
    outcome VARCHAR CHECK (regexp_full_match(outcome, '^[^\x00-\x1f\x7f-\x9f]*$')),
    notes VARCHAR CHECK (regexp_full_match(notes, '^[^\x00-\x1f\x7f-\x9f]*$')),
    source_id VARCHAR NOT NULL REFERENCES sources (source_id) CHECK (regexp_full_match(source_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    canonical_id VARCHAR NOT NULL CHECK (regexp_full_match(canonical_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    date_start DATE,
    date_end DATE,
    date_precision date_precision NOT NULL,
    date_basis date_basis
);
COMMENT ON TABLE negotiation_rounds IS 'Rounds of negotiation as one source reports them.';
COMMENT ON COLUMN negotiation_rounds.round_id IS 'Slug of the round.';
COMMENT ON COLUMN negotiation_rounds.process IS 'The negotiation process, e.g. `armenia-azerbaijan-peace-treaty`.';
COMMENT ON COLUMN negotiation_rounds.round_number IS 'Ordinal of the round in its process.';
COMMENT ON COLUMN negotiation_rounds.parties IS 'The negotiating parties (at least two).';
COMMENT ON COLUMN negotiation_rounds.mediator_id IS 'The mediator; null when none is reported.';
COMMENT ON COLUMN negotiation_rounds.format IS 'How the round was held.';
COMMENT ON COLUMN negotiation_rounds.outcome IS 'What the round produced, as the source reports it.';
COMMENT ON COLUMN negotiation_rounds.notes IS 'Anything else the source says about the round.';
COMMENT ON COLUMN negotiation_rounds.source_id IS 'The source that reports this row.';
COMMENT ON COLUMN negotiation_rounds.canonical_id IS 'Shared by rows of different sources that report the same real-world thing; equals the row''s own id where no other source reports it.';
COMMENT ON COLUMN negotiation_rounds.date_start IS 'First day of the interval (inclusive); null if open.';
COMMENT ON COLUMN negotiation_rounds.date_end IS 'Last day of the interval (inclusive); null if open.';
COMMENT ON COLUMN negotiation_rounds.date_precision IS 'How precisely the source dates the row.';
COMMENT ON COLUMN negotiation_rounds.date_basis IS 'Whether the source states the date or it was inferred; null when there is no date.';

CREATE TABLE evidence (
    evidence_id VARCHAR PRIMARY KEY CHECK (regexp_full_match(evidence_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    table_name claim_table NOT NULL,
    row_id VARCHAR NOT NULL CHECK (regexp_full_match(row_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    source_id VARCHAR NOT NULL REFERENCES sources (source_id) CHECK (regexp_full_match(source_id, '^[a-z0-9]+(-[a-z0-9]+)*$')),
    char_start BIGINT NOT NULL CHECK (char_start >= 0),
    char_end BIGINT NOT NULL CHECK (char_end >= 1),
    quote VARCHAR NOT NULL
);
COMMENT ON TABLE evidence IS 'Verbatim quotes at exact offsets proving every row but sources.';
COMMENT ON COLUMN evidence.evidence_id IS 'Slug of the evidence span, derived from what it proves.';
COMMENT ON COLUMN evidence.table_name IS 'The table of the row this span proves.';
COMMENT ON COLUMN evidence.row_id IS 'Primary key of the row this span proves.';
COMMENT ON COLUMN evidence.source_id IS 'The source the span is taken from.';
COMMENT ON COLUMN evidence.char_start IS 'Offset of the first code point of the quote.';
COMMENT ON COLUMN evidence.char_end IS 'Offset just past the last code point of the quote.';
COMMENT ON COLUMN evidence.quote IS 'The quote, equal to `text[char_start:char_end]`.';

INSERT INTO sources SELECT CAST(source_id AS VARCHAR) AS source_id, CAST(title AS VARCHAR) AS title, CAST(publisher AS VARCHAR) AS publisher, CAST(url AS VARCHAR) AS url, CAST(published_on AS DATE) AS published_on, CAST(language AS VARCHAR) AS language, CAST(text_sha256 AS VARCHAR) AS text_sha256, CAST(text_in_repo AS BOOLEAN) AS text_in_repo, CAST(char_count AS BIGINT) AS char_count, CAST(notes AS VARCHAR) AS notes FROM read_parquet('sources.parquet');
INSERT INTO actors SELECT * FROM (SELECT CAST(actor_id AS VARCHAR) AS actor_id, CAST(name AS VARCHAR) AS name, CAST(actor_type AS actor_type) AS actor_type, CAST(country AS country_code) AS country, CAST(parent_id AS VARCHAR) AS parent_id, CAST(role AS VARCHAR) AS role, CAST(aliases AS VARCHAR[]) AS aliases FROM read_parquet('actors.parquet')) WHERE actor_id NOT IN (SELECT actor_id FROM actors) AND (parent_id IS NULL OR parent_id IN (SELECT actor_id FROM actors));
INSERT INTO actors SELECT * FROM (SELECT CAST(actor_id AS VARCHAR) AS actor_id, CAST(name AS VARCHAR) AS name, CAST(actor_type AS actor_type) AS actor_type, CAST(country AS country_code) AS country, CAST(parent_id AS VARCHAR) AS parent_id, CAST(role AS VARCHAR) AS role, CAST(aliases AS VARCHAR[]) AS aliases FROM read_parquet('actors.parquet')) WHERE actor_id NOT IN (SELECT actor_id FROM actors) AND (parent_id IS NULL OR parent_id IN (SELECT actor_id FROM actors));
INSERT INTO actors SELECT * FROM (SELECT CAST(actor_id AS VARCHAR) AS actor_id, CAST(name AS VARCHAR) AS name, CAST(actor_type AS actor_type) AS actor_type, CAST(country AS country_code) AS country, CAST(parent_id AS VARCHAR) AS parent_id, CAST(role AS VARCHAR) AS role, CAST(aliases AS VARCHAR[]) AS aliases FROM read_parquet('actors.parquet')) WHERE actor_id NOT IN (SELECT actor_id FROM actors) AND (parent_id IS NULL OR parent_id IN (SELECT actor_id FROM actors));
INSERT INTO actors SELECT * FROM (SELECT CAST(actor_id AS VARCHAR) AS actor_id, CAST(name AS VARCHAR) AS name, CAST(actor_type AS actor_type) AS actor_type, CAST(country AS country_code) AS country, CAST(parent_id AS VARCHAR) AS parent_id, CAST(role AS VARCHAR) AS role, CAST(aliases AS VARCHAR[]) AS aliases FROM read_parquet('actors.parquet')) WHERE actor_id NOT IN (SELECT actor_id FROM actors) AND (parent_id IS NULL OR parent_id IN (SELECT actor_id FROM actors));
INSERT INTO actors SELECT * FROM (SELECT CAST(actor_id AS VARCHAR) AS actor_id, CAST(name AS VARCHAR) AS name, CAST(actor_type AS actor_type) AS actor_type, CAST(country AS country_code) AS country, CAST(parent_id AS VARCHAR) AS parent_id, CAST(role AS VARCHAR) AS role, CAST(aliases AS VARCHAR[]) AS aliases FROM read_parquet('actors.parquet')) WHERE actor_id NOT IN (SELECT actor_id FROM actors) AND (parent_id IS NULL OR parent_id IN (SELECT actor_id FROM actors));
INSERT INTO actors SELECT * FROM (SELECT CAST(actor_id AS VARCHAR) AS actor_id, CAST(name AS VARCHAR) AS name, CAST(actor_type AS actor_type) AS actor_type, CAST(country AS country_code) AS country, CAST(parent_id AS VARCHAR) AS parent_id, CAST(role AS VARCHAR) AS role, CAST(aliases AS VARCHAR[]) AS aliases FROM read_parquet('actors.parquet')) WHERE actor_id NOT IN (SELECT actor_id FROM actors) AND (parent_id IS NULL OR parent_id IN (SELECT actor_id FROM actors));
INSERT INTO actors SELECT * FROM (SELECT CAST(actor_id AS VARCHAR) AS actor_id, CAST(name AS VARCHAR) AS name, CAST(actor_type AS actor_type) AS actor_type, CAST(country AS country_code) AS country, CAST(parent_id AS VARCHAR) AS parent_id, CAST(role AS VARCHAR) AS role, CAST(aliases AS VARCHAR[]) AS aliases FROM read_parquet('actors.parquet')) WHERE actor_id NOT IN (SELECT actor_id FROM actors) AND (parent_id IS NULL OR parent_id IN (SELECT actor_id FROM actors));
INSERT INTO actors SELECT * FROM (SELECT CAST(actor_id AS VARCHAR) AS actor_id, CAST(name AS VARCHAR) AS name, CAST(actor_type AS actor_type) AS actor_type, CAST(country AS country_code) AS country, CAST(parent_id AS VARCHAR) AS parent_id, CAST(role AS VARCHAR) AS role, CAST(aliases AS VARCHAR[]) AS aliases FROM read_parquet('actors.parquet')) WHERE actor_id NOT IN (SELECT actor_id FROM actors) AND (parent_id IS NULL OR parent_id IN (SELECT actor_id FROM actors));
INSERT INTO actors SELECT * FROM (SELECT CAST(actor_id AS VARCHAR) AS actor_id, CAST(name AS VARCHAR) AS name, CAST(actor_type AS actor_type) AS actor_type, CAST(country AS country_code) AS country, CAST(parent_id AS VARCHAR) AS parent_id, CAST(role AS VARCHAR) AS role, CAST(aliases AS VARCHAR[]) AS aliases FROM read_parquet('actors.parquet')) WHERE actor_id NOT IN (SELECT actor_id FROM actors) AND (parent_id IS NULL OR parent_id IN (SELECT actor_id FROM actors));
INSERT INTO actors SELECT * FROM (SELECT CAST(actor_id AS VARCHAR) AS actor_id, CAST(name AS VARCHAR) AS name, CAST(actor_type AS actor_type) AS actor_type, CAST(country AS country_code) AS country, CAST(parent_id AS VARCHAR) AS parent_id, CAST(role AS VARCHAR) AS role, CAST(aliases AS VARCHAR[]) AS aliases FROM read_parquet('actors.parquet')) WHERE actor_id NOT IN (SELECT actor_id FROM actors) AND (parent_id IS NULL OR parent_id IN (SELECT actor_id FROM actors));
INSERT INTO actors SELECT * FROM (SELECT CAST(actor_id AS VARCHAR) AS actor_id, CAST(name AS VARCHAR) AS name, CAST(actor_type AS actor_type) AS actor_type, CAST(country AS country_code) AS country, CAST(parent_id AS VARCHAR) AS parent_id, CAST(role AS VARCHAR) AS role, CAST(aliases AS VARCHAR[]) AS aliases FROM read_parquet('actors.parquet')) WHERE actor_id NOT IN (SELECT actor_id FROM actors) AND (parent_id IS NULL OR parent_id IN (SELECT actor_id FROM actors));
INSERT INTO actors SELECT * FROM (SELECT CAST(actor_id AS VARCHAR) AS actor_id, CAST(name AS VARCHAR) AS name, CAST(actor_type AS actor_type) AS actor_type, CAST(country AS country_code) AS country, CAST(parent_id AS VARCHAR) AS parent_id, CAST(role AS VARCHAR) AS role, CAST(aliases AS VARCHAR[]) AS aliases FROM read_parquet('actors.parquet')) WHERE actor_id NOT IN (SELECT actor_id FROM actors) AND (parent_id IS NULL OR parent_id IN (SELECT actor_id FROM actors));
INSERT INTO actors SELECT * FROM (SELECT CAST(actor_id AS VARCHAR) AS actor_id, CAST(name AS VARCHAR) AS name, CAST(actor_type AS actor_type) AS actor_type, CAST(country AS country_code) AS country, CAST(parent_id AS VARCHAR) AS parent_id, CAST(role AS VARCHAR) AS role, CAST(aliases AS VARCHAR[]) AS aliases FROM read_parquet('actors.parquet')) WHERE actor_id NOT IN (SELECT actor_id FROM actors) AND (parent_id IS NULL OR parent_id IN (SELECT actor_id FROM actors));
INSERT INTO actors SELECT * FROM (SELECT CAST(actor_id AS VARCHAR) AS actor_id, CAST(name AS VARCHAR) AS name, CAST(actor_type AS actor_type) AS actor_type, CAST(country AS country_code) AS country, CAST(parent_id AS VARCHAR) AS parent_id, CAST(role AS VARCHAR) AS role, CAST(aliases AS VARCHAR[]) AS aliases FROM read_parquet('actors.parquet')) WHERE actor_id NOT IN (SELECT actor_id FROM actors) AND (parent_id IS NULL OR parent_id IN (SELECT actor_id FROM actors));
INSERT INTO actors SELECT * FROM (SELECT CAST(actor_id AS VARCHAR) AS actor_id, CAST(name AS VARCHAR) AS name, CAST(actor_type AS actor_type) AS actor_type, CAST(country AS country_code) AS country, CAST(parent_id AS VARCHAR) AS parent_id, CAST(role AS VARCHAR) AS role, CAST(aliases AS VARCHAR[]) AS aliases FROM read_parquet('actors.parquet')) WHERE actor_id NOT IN (SELECT actor_id FROM actors) AND (parent_id IS NULL OR parent_id IN (SELECT actor_id FROM actors));
INSERT INTO actors SELECT * FROM (SELECT CAST(actor_id AS VARCHAR) AS actor_id, CAST(name AS VARCHAR) AS name, CAST(actor_type AS actor_type) AS actor_type, CAST(country AS country_code) AS country, CAST(parent_id AS VARCHAR) AS parent_id, CAST(role AS VARCHAR) AS role, CAST(aliases AS VARCHAR[]) AS aliases FROM read_parquet('actors.parquet')) WHERE actor_id NOT IN (SELECT actor_id FROM actors) AND (parent_id IS NULL OR parent_id IN (SELECT actor_id FROM actors));
SELECT CASE WHEN (SELECT count(*) FROM actors) <> (SELECT count(*) FROM read_parquet('actors.parquet')) THEN error('actors: rows left out (a loop, or more than 16 levels)') END AS loaded;
INSERT INTO statements SELECT CAST(statement_id AS VARCHAR) AS statement_id, CAST(speaker_id AS VARCHAR) AS speaker_id, CAST(target_id AS VARCHAR) AS target_id, CAST(kind AS statement_kind) AS kind, CAST(quote AS VARCHAR) AS quote, CAST(summary AS VARCHAR) AS summary, CAST(topic AS topic) AS topic, CAST(event_type AS event_type) AS event_type, CAST(occasion AS VARCHAR) AS occasion, CAST(source_id AS VARCHAR) AS source_id, CAST(canonical_id AS VARCHAR) AS canonical_id, CAST(date_start AS DATE) AS date_start, CAST(date_end AS DATE) AS date_end, CAST(date_precision AS date_precision) AS date_precision, CAST(date_basis AS date_basis) AS date_basis FROM read_parquet('statements.parquet');
INSERT INTO military_transfers SELECT CAST(transfer_id AS VARCHAR) AS transfer_id, CAST(supplier_id AS VARCHAR) AS supplier_id, CAST(recipient_id AS VARCHAR) AS recipient_id, CAST(end_user_id AS VARCHAR) AS end_user_id, CAST(item AS VARCHAR) AS item, CAST(item_category AS item_category) AS item_category, CAST(manufacturer_id AS VARCHAR) AS manufacturer_id, CAST(quantity AS BIGINT) AS quantity, CAST(status AS transfer_status) AS status, CAST(certainty AS certainty) AS certainty, CAST(carrier AS VARCHAR) AS carrier, CAST(notes AS VARCHAR) AS notes, CAST(source_id AS VARCHAR) AS source_id, CAST(canonical_id AS VARCHAR) AS canonical_id, CAST(date_start AS DATE) AS date_start, CAST(date_end AS DATE) AS date_end, CAST(date_precision AS date_precision) AS date_precision, CAST(date_basis AS date_basis) AS date_basis FROM read_parquet('military_transfers.parquet');
INSERT INTO negotiation_rounds SELECT CAST(round_id AS VARCHAR) AS round_id, CAST(process AS VARCHAR) AS process, CAST(round_number AS BIGINT) AS round_number, CAST(parties AS VARCHAR[]) AS parties, CAST(mediator_id AS VARCHAR) AS mediator_id, CAST(format AS negotiation_format) AS format, CAST(outcome AS VARCHAR) AS outcome, CAST(notes AS VARCHAR) AS notes, CAST(source_id AS VARCHAR) AS source_id, CAST(canonical_id AS VARCHAR) AS canonical_id, CAST(date_start AS DATE) AS date_start, CAST(date_end AS DATE) AS date_end, CAST(date_precision AS date_precision) AS date_precision, CAST(date_basis AS date_basis) AS date_basis FROM read_parquet('negotiation_rounds.parquet');
INSERT INTO evidence SELECT CAST(evidence_id AS VARCHAR) AS evidence_id, CAST(table_name AS claim_table) AS table_name, CAST(row_id AS VARCHAR) AS row_id, CAST(source_id AS VARCHAR) AS source_id, CAST(char_start AS BIGINT) AS char_start, CAST(char_end AS BIGINT) AS char_end, CAST(quote AS VARCHAR) AS quote FROM read_parquet('evidence.parquet');
