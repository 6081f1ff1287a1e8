CREATE TABLE `backtest_tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`spec` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `backtest_tasks_user` ON `backtest_tasks` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `execution_checkpoints` (
	`execution_id` integer NOT NULL,
	`sequence` integer NOT NULL,
	`metrics` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`execution_id`, `sequence`)
);
--> statement-breakpoint
CREATE TABLE `execution_equity` (
	`execution_id` integer NOT NULL,
	`first_sequence` integer NOT NULL,
	`last_sequence` integer NOT NULL,
	`first_time` integer NOT NULL,
	`last_time` integer NOT NULL,
	`points` blob NOT NULL,
	PRIMARY KEY(`execution_id`, `first_sequence`)
);
--> statement-breakpoint
CREATE TABLE `execution_events` (
	`execution_id` integer NOT NULL,
	`sequence` integer NOT NULL,
	`event_type` text NOT NULL,
	`time` integer NOT NULL,
	`data` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`execution_id`, `sequence`)
);
--> statement-breakpoint
CREATE INDEX `execution_events_type` ON `execution_events` (`execution_id`,`event_type`,`sequence`);--> statement-breakpoint
CREATE TABLE `execution_trades` (
	`execution_id` integer NOT NULL,
	`sequence` integer NOT NULL,
	`symbol` text NOT NULL,
	`direction` text NOT NULL,
	`entry_time` integer NOT NULL,
	`entry_price` real NOT NULL,
	`exit_time` integer NOT NULL,
	`exit_price` real NOT NULL,
	`quantity` real NOT NULL,
	`fees` real NOT NULL,
	`pnl` real NOT NULL,
	`exit_reason` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`execution_id`, `sequence`)
);
--> statement-breakpoint
CREATE TABLE `executions` (
	`id` integer PRIMARY KEY NOT NULL,
	`task_type` text NOT NULL,
	`task_id` text NOT NULL,
	`user_id` text NOT NULL,
	`execution_number` integer NOT NULL,
	`status` text NOT NULL,
	`progress` real NOT NULL,
	`processed` integer NOT NULL,
	`total` integer NOT NULL,
	`strategy` text NOT NULL,
	`started_at` integer,
	`completed_at` integer,
	`error_message` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `executions_task_number` ON `executions` (`task_id`,`execution_number`);--> statement-breakpoint
CREATE INDEX `executions_user` ON `executions` (`user_id`,`id`);