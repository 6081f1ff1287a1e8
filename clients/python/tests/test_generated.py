"""The generated layer is the contract's: one method per operation, keyword arguments named as it names them."""

from __future__ import annotations

import inspect
import json
import re
import unittest
from pathlib import Path

from smc_trading import SMCClient
from smc_trading._generated import OPERATION_IDS
from smc_trading._generated import types as gtypes

ROOT = Path(__file__).resolve().parents[3]
CONTRACT = json.loads((ROOT / "packages/server/src/generated/openapi.json").read_text())


def snake(name: str) -> str:
    return re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)).lower()


def operations() -> list[tuple[str, str, dict]]:
    return [(m.upper(), p, op) for p, item in CONTRACT["paths"].items() for m, op in item.items() if isinstance(op, dict) and "operationId" in op]


def param(p: dict) -> dict:
    return CONTRACT["components"]["parameters"][p["$ref"].split("/")[-1]] if "$ref" in p else p


class GeneratedLayer(unittest.TestCase):
    def test_every_operation_is_a_method_with_a_docstring(self) -> None:
        ids = {op["operationId"] for _, _, op in operations()}
        self.assertEqual(set(OPERATION_IDS.values()), ids)
        for _, path, op in operations():
            method = getattr(SMCClient, snake(op["operationId"]))
            self.assertTrue(method.__doc__ and path in method.__doc__, op["operationId"])

    def test_seed_names(self) -> None:
        for name in ["get_positions", "execute_trade", "get_market_data", "subscribe_to_trades"]:
            self.assertTrue(callable(getattr(SMCClient, name)), name)
        sig = inspect.signature(SMCClient.execute_trade)
        for kw in ["symbol", "side", "quantity", "type", "client_order_id", "stop_loss", "take_profit"]:
            self.assertEqual(sig.parameters[kw].kind, inspect.Parameter.KEYWORD_ONLY, kw)
        self.assertEqual(list(inspect.signature(SMCClient.get_market_data).parameters)[1], "symbol")

    def test_parameters_are_named_as_the_contract_names_them(self) -> None:
        for _, _, op in operations():
            sig = inspect.signature(getattr(SMCClient, snake(op["operationId"])))
            for p in map(param, op.get("parameters", [])):
                self.assertIn(p["name"], sig.parameters, f"{op['operationId']}: {p['name']}")
                required = sig.parameters[p["name"]].default is inspect.Parameter.empty
                self.assertEqual(required, bool(p.get("required")), f"{op['operationId']}: {p['name']}")

    def test_a_typed_dict_or_alias_per_schema(self) -> None:
        schemas = CONTRACT["components"]["schemas"]
        self.assertEqual(set(gtypes.__all__), set(schemas))
        order = schemas["Order"]
        hints = gtypes.Order.__required_keys__ | gtypes.Order.__optional_keys__
        self.assertEqual(hints, set(order["properties"]))
        self.assertEqual(gtypes.Order.__required_keys__, set(order.get("required", [])))
        self.assertIn("Literal[", gtypes.OrderStatus)


if __name__ == "__main__":
    unittest.main()
