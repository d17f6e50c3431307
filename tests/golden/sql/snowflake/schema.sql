-- govern: the tables every compiled meter reads (see docs/warehouse.md).
CREATE TABLE IF NOT EXISTS raw_events (
  id VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  type VARCHAR NOT NULL,
  subject VARCHAR NOT NULL,
  time TIMESTAMPTZ NOT NULL,
  recordedtime TIMESTAMPTZ,
  dataschema VARCHAR,
  voids VARCHAR,
  data VARIANT,
  seq BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS customer_aliases (
  subject VARCHAR NOT NULL,
  customer VARCHAR NOT NULL
);
