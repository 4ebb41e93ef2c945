-- pgbench script: the SQL of one life-cycle transition, without the app around it.
-- Lock the order row, bump status and version, append the event, commit: what
-- orders/services.py::acting + commit send for an action. Status is written back unchanged
-- so the data stays valid; run.py deletes the 'bench-baseline' events afterwards.
\set id random(:lo, :hi)
BEGIN;
SELECT id, status, version FROM orders_order WHERE id = :id FOR UPDATE;
UPDATE orders_order SET status = status, version = version + 1, updated_at = now() WHERE id = :id;
INSERT INTO orders_orderevent (order_id, actor_id, actor_role, action, from_status, to_status, data, created_at)
  VALUES (:id, NULL, 'technician', 'bench-baseline', '', '', '{}', now());
COMMIT;
