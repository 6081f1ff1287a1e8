PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_orders` (
	`seq` integer PRIMARY KEY NOT NULL,
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
INSERT INTO `__new_orders`("seq", "id", "account_id", "client_order_id", "symbol", "side", "type", "time_in_force", "status", "quantity", "price", "stop_price", "triggered", "filled_quantity", "filled_notional", "commission", "stop_loss", "take_profit", "parent_order_id", "link_type", "reduce_only", "reject_reason", "expires_at", "created_at", "updated_at", "closed_at") SELECT "seq", "id", "account_id", "client_order_id", "symbol", "side", "type", "time_in_force", "status", "quantity", "price", "stop_price", "triggered", "filled_quantity", "filled_notional", "commission", "stop_loss", "take_profit", "parent_order_id", "link_type", "reduce_only", "reject_reason", "expires_at", "created_at", "updated_at", "closed_at" FROM `orders`;--> statement-breakpoint
DROP TABLE `orders`;--> statement-breakpoint
ALTER TABLE `__new_orders` RENAME TO `orders`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `orders_id_unique` ON `orders` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `orders_client_order_id` ON `orders` (`account_id`,`client_order_id`) WHERE "orders"."client_order_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `orders_account` ON `orders` (`account_id`,`seq`);--> statement-breakpoint
CREATE TABLE `__new_equity_snapshots` (
	`seq` integer PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`at` integer NOT NULL,
	`equity` integer NOT NULL,
	`balance` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_equity_snapshots`("seq", "account_id", "at", "equity", "balance") SELECT "seq", "account_id", "at", "equity", "balance" FROM `equity_snapshots`;--> statement-breakpoint
DROP TABLE `equity_snapshots`;--> statement-breakpoint
ALTER TABLE `__new_equity_snapshots` RENAME TO `equity_snapshots`;--> statement-breakpoint
CREATE INDEX `equity_snapshots_account` ON `equity_snapshots` (`account_id`,`at`);--> statement-breakpoint
CREATE TABLE `__new_fills` (
	`seq` integer PRIMARY KEY NOT NULL,
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
INSERT INTO `__new_fills`("seq", "id", "order_id", "account_id", "position_id", "symbol", "side", "quantity", "price", "notional", "commission", "liquidity", "realized_pnl", "created_at") SELECT "seq", "id", "order_id", "account_id", "position_id", "symbol", "side", "quantity", "price", "notional", "commission", "liquidity", "realized_pnl", "created_at" FROM `fills`;--> statement-breakpoint
DROP TABLE `fills`;--> statement-breakpoint
ALTER TABLE `__new_fills` RENAME TO `fills`;--> statement-breakpoint
CREATE INDEX `fills_account` ON `fills` (`account_id`,`seq`);--> statement-breakpoint
CREATE TABLE `__new_positions` (
	`seq` integer PRIMARY KEY NOT NULL,
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
INSERT INTO `__new_positions`("seq", "id", "account_id", "symbol", "side", "status", "quantity", "cost_basis", "opened_quantity", "closed_quantity", "closed_cost", "exit_notional", "realized_pnl", "commission", "opened_at", "updated_at", "closed_at") SELECT "seq", "id", "account_id", "symbol", "side", "status", "quantity", "cost_basis", "opened_quantity", "closed_quantity", "closed_cost", "exit_notional", "realized_pnl", "commission", "opened_at", "updated_at", "closed_at" FROM `positions`;--> statement-breakpoint
DROP TABLE `positions`;--> statement-breakpoint
ALTER TABLE `__new_positions` RENAME TO `positions`;--> statement-breakpoint
CREATE UNIQUE INDEX `positions_id_unique` ON `positions` (`id`);--> statement-breakpoint
CREATE INDEX `positions_account` ON `positions` (`account_id`,`status`,`symbol`);--> statement-breakpoint
CREATE TABLE `__new_risk_events` (
	`seq` integer PRIMARY KEY NOT NULL,
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
INSERT INTO `__new_risk_events`("seq", "id", "account_id", "type", "severity", "message", "symbol", "subject", "details", "resolved", "resolved_at", "created_at") SELECT "seq", "id", "account_id", "type", "severity", "message", "symbol", "subject", "details", "resolved", "resolved_at", "created_at" FROM `risk_events`;--> statement-breakpoint
DROP TABLE `risk_events`;--> statement-breakpoint
ALTER TABLE `__new_risk_events` RENAME TO `risk_events`;--> statement-breakpoint
CREATE UNIQUE INDEX `risk_events_id_unique` ON `risk_events` (`id`);--> statement-breakpoint
CREATE INDEX `risk_events_account` ON `risk_events` (`account_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `risk_events_open` ON `risk_events` (`account_id`,`resolved`);