CREATE TABLE `strategy_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`name` text NOT NULL,
	`strategy` text NOT NULL,
	`params` text NOT NULL,
	`symbols` text NOT NULL,
	`interval` text NOT NULL,
	`initial_balance` real NOT NULL,
	`paper_account_id` text NOT NULL,
	`active` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE INDEX `strategy_accounts_owner` ON `strategy_accounts` (`owner_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `strategy_decisions` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`account_id` text NOT NULL,
	`cycle_id` text NOT NULL,
	`symbol` text NOT NULL,
	`action` text NOT NULL,
	`confidence` real NOT NULL,
	`reasoning` text NOT NULL,
	`indicators` text NOT NULL,
	`candle_time` integer,
	`order_id` text,
	`error_code` text,
	`error_message` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `strategy_decisions_account` ON `strategy_decisions` (`account_id`,`seq`);