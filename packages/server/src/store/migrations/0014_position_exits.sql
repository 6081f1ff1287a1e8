ALTER TABLE `orders` ADD `origin` text;--> statement-breakpoint
ALTER TABLE `positions` ADD `initial_stop_loss` integer;--> statement-breakpoint
ALTER TABLE `positions` ADD `exit_reason` text;