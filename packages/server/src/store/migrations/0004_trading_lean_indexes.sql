DROP INDEX `fills_id_unique`;--> statement-breakpoint
DROP INDEX `fills_order`;--> statement-breakpoint
DROP INDEX `fills_account`;--> statement-breakpoint
CREATE INDEX `fills_account` ON `fills` (`account_id`,`seq`);--> statement-breakpoint
DROP INDEX `orders_status`;--> statement-breakpoint
DROP INDEX `orders_parent`;