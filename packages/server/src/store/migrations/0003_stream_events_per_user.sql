PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_stream_events` (
	`user_id` text NOT NULL,
	`seq` integer NOT NULL,
	`account_id` text,
	`kind` text NOT NULL,
	`symbol` text,
	`data` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `seq`)
);
--> statement-breakpoint
INSERT INTO `__new_stream_events`("user_id", "seq", "account_id", "kind", "symbol", "data", "at") SELECT "user_id", "seq", "account_id", "kind", "symbol", "data", "at" FROM `stream_events`;--> statement-breakpoint
DROP TABLE `stream_events`;--> statement-breakpoint
ALTER TABLE `__new_stream_events` RENAME TO `stream_events`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `stream_events_at` ON `stream_events` (`at`);