CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`currency` text NOT NULL,
	`initial_balance` integer NOT NULL,
	`balance` integer NOT NULL,
	`realized_pnl` integer NOT NULL,
	`commission` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_user_id_unique` ON `accounts` (`user_id`);--> statement-breakpoint
CREATE TABLE `equity_snapshots` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` text NOT NULL,
	`at` integer NOT NULL,
	`equity` integer NOT NULL,
	`balance` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `equity_snapshots_account` ON `equity_snapshots` (`account_id`,`at`);--> statement-breakpoint
CREATE TABLE `fills` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`order_id` text NOT NULL,
	`account_id` text NOT NULL,
	`position_id` text NOT NULL,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`quantity` integer NOT NULL,
	`price` integer NOT NULL,
	`notional` integer NOT NULL,
	`commission` integer NOT NULL,
	`liquidity` text NOT NULL,
	`realized_pnl` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `fills_id_unique` ON `fills` (`id`);--> statement-breakpoint
CREATE INDEX `fills_account` ON `fills` (`account_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `fills_order` ON `fills` (`order_id`);--> statement-breakpoint
CREATE TABLE `orders` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`account_id` text NOT NULL,
	`client_order_id` text,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`type` text NOT NULL,
	`time_in_force` text NOT NULL,
	`status` text NOT NULL,
	`quantity` integer NOT NULL,
	`price` integer,
	`stop_price` integer,
	`triggered` integer NOT NULL,
	`filled_quantity` integer NOT NULL,
	`filled_notional` integer NOT NULL,
	`commission` integer NOT NULL,
	`stop_loss` integer,
	`take_profit` integer,
	`parent_order_id` text,
	`link_type` text,
	`reduce_only` integer NOT NULL,
	`reject_reason` text,
	`expires_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`closed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_id_unique` ON `orders` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `orders_client_order_id` ON `orders` (`account_id`,`client_order_id`);--> statement-breakpoint
CREATE INDEX `orders_account` ON `orders` (`account_id`,`seq`);--> statement-breakpoint
CREATE INDEX `orders_status` ON `orders` (`status`);--> statement-breakpoint
CREATE INDEX `orders_parent` ON `orders` (`parent_order_id`);--> statement-breakpoint
CREATE TABLE `positions` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`account_id` text NOT NULL,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`status` text NOT NULL,
	`quantity` integer NOT NULL,
	`cost_basis` integer NOT NULL,
	`opened_quantity` integer NOT NULL,
	`closed_quantity` integer NOT NULL,
	`closed_cost` integer NOT NULL,
	`exit_notional` integer NOT NULL,
	`realized_pnl` integer NOT NULL,
	`commission` integer NOT NULL,
	`opened_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`closed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `positions_id_unique` ON `positions` (`id`);--> statement-breakpoint
CREATE INDEX `positions_account` ON `positions` (`account_id`,`status`,`symbol`);--> statement-breakpoint
CREATE TABLE `risk_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`account_id` text NOT NULL,
	`type` text NOT NULL,
	`severity` text NOT NULL,
	`message` text NOT NULL,
	`symbol` text,
	`subject` text NOT NULL,
	`details` text NOT NULL,
	`resolved` integer NOT NULL,
	`resolved_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `risk_events_id_unique` ON `risk_events` (`id`);--> statement-breakpoint
CREATE INDEX `risk_events_account` ON `risk_events` (`account_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `risk_events_open` ON `risk_events` (`account_id`,`resolved`);--> statement-breakpoint
CREATE TABLE `risk_limits` (
	`account_id` text PRIMARY KEY NOT NULL,
	`max_position_size` real,
	`max_daily_loss` real,
	`max_drawdown` real,
	`stop_loss_percent` real,
	`position_limits` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `trading_controls` (
	`scope` text PRIMARY KEY NOT NULL,
	`paused` integer NOT NULL,
	`reason` text,
	`updated_at` integer NOT NULL
);
