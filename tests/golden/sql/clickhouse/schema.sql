-- govern: the tables every compiled meter reads (see docs/warehouse.md).
CREATE TABLE IF NOT EXISTS raw_events (
  id String,
  source String,
  type String,
  subject String,
  time DateTime64(6, 'UTC'),
  recordedtime Nullable(DateTime64(6, 'UTC')),
  dataschema Nullable(String),
  voids Nullable(String),
  data Nullable(String),
  seq Int64
)
ENGINE=MergeTree
ORDER BY (type, source, id);

CREATE TABLE IF NOT EXISTS customer_aliases (
  subject String,
  customer String
)
ENGINE=MergeTree
ORDER BY (subject);
