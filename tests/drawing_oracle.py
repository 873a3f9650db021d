"""What the viz tests read from drawings: DOT lines, and the text of each node of an SVG."""

import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def node_lines(source):
    return [line for line in source.splitlines() if "[label=" in line]


def edge_lines(source):
    return [line for line in source.splitlines() if "->" in line]


def svg_nodes(svg: str) -> dict[str, list[list[str]]]:
    """DOT node name -> the text lines of each drawn field (records split at their separators)."""
    nodes = {}
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        if group.get("class") != "node":
            continue
        name = group.find(f"{SVG}title").text
        fields, lines = [], []
        for child in group:
            if child.tag == f"{SVG}polyline":  # a record's field separator
                fields.append(lines)
                lines = []
            elif child.tag == f"{SVG}text":
                lines.append(child.text or "")
        nodes[name] = [*fields, lines]
    return nodes
