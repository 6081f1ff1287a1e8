CREATE TABLE `engine_transitions` (
	`seq` integer PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`from_state` text NOT NULL,
	`to_state` text NOT NULL,
	`command` text,
	`trigger` text NOT NULL,
	`reason` text NOT NULL,
	`details` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `engine_transitions_owner` ON `engine_transitions` (`owner_id`,`seq`);--> statement-breakpoint
CREATE INDEX `engine_transitions_to` ON `engine_transitions` (`to_state`,`at`);--> statement-breakpoint
CREATE TABLE `engines` (
	`owner_id` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`previous_state` text,
	`preset` text,
	`mode` text NOT NULL,
	`symbols` text NOT NULL,
	`paper_account_id` text,
	`since` integer NOT NULL,
	`started_at` integer,
	`context` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
