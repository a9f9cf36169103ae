"""VNPay, the gateway most Vietnamese public-service portals use."""
