-- Reminders are delivered by webhook or by e-mail: one outbox row per channel.
ALTER TABLE notifications ADD COLUMN channel TEXT NOT NULL DEFAULT 'webhook';
