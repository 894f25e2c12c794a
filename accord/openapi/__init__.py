"""The OpenAPI 3.1 document and the interactive documentation pages."""
