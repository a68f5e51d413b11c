-- /readyz proves the database still takes writes (lock free, disk not full) by updating this row.

CREATE TABLE readiness (
    id INTEGER PRIMARY KEY,
    checked INTEGER NOT NULL
);
INSERT INTO readiness (id, checked) VALUES (1, 0);
