"""The exchange axis's web service (VDXP / provincial LGSP), as the VPCP SDK calls it."""
