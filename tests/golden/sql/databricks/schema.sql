-- govern: the tables every compiled meter reads (see docs/warehouse.md).
CREATE TABLE IF NOT EXISTS raw_events (
  id STRING NOT NULL,
  source STRING NOT NULL,
  type STRING NOT NULL,
  subject STRING NOT NULL,
  time TIMESTAMP_NTZ NOT NULL,
  recordedtime TIMESTAMP_NTZ,
  dataschema STRING,
  voids STRING,
  data STRING,
  seq BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS customer_aliases (
  subject STRING NOT NULL,
  customer STRING NOT NULL
);
