CREATE TABLE `stream_events` (
	`account_id` text NOT NULL,
	`seq` integer NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`symbol` text,
	`data` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `stream_events_at` ON `stream_events` (`at`);