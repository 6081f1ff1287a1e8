CREATE TABLE `risk_locks` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`account_id` text NOT NULL,
	`protection` text NOT NULL,
	`symbol` text,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL,
	`until` integer NOT NULL,
	`removed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `risk_locks_id_unique` ON `risk_locks` (`id`);--> statement-breakpoint
CREATE INDEX `risk_locks_account` ON `risk_locks` (`account_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `risk_locks_until` ON `risk_locks` (`until`);--> statement-breakpoint
ALTER TABLE `risk_limits` ADD `protections` text;