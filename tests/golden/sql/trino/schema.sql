-- govern: the tables every compiled meter reads (see docs/warehouse.md).
CREATE TABLE IF NOT EXISTS raw_events (
  id VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  type VARCHAR NOT NULL,
  subject VARCHAR NOT NULL,
  time TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  recordedtime TIMESTAMP(6) WITH TIME ZONE,
  dataschema VARCHAR,
  voids VARCHAR,
  data JSON,
  seq BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS customer_aliases (
  subject VARCHAR NOT NULL,
  customer VARCHAR NOT NULL
);
