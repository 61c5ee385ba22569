"""What the router learns from: the catalogue's own texts, labelled request files, and the office's
corrections that `hotline route retrain` accepted (the learned file)."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import yaml

from .catalogue import Catalogue, Department
from .errors import CatalogueError
from .neighbours import Labelled

Example = Tuple[str, str]   # (text, department id)


def catalogue_examples(catalogue: Catalogue) -> List[Example]:
    """Each duty and each example is one text; the keywords of a department form one text together,
    since a lone keyword is too short to stand for a request."""
    result: List[Example] = []
    for dept in catalogue.departments:
        result.extend((text, dept.id) for text in _texts(dept))
    return result


def _texts(dept: Department) -> List[str]:
    texts = [_strip_heading(d) for d in dept.duties] + list(dept.examples)
    if dept.keywords:
        texts.append("，".join(dept.keywords))
    return texts


def _strip_heading(duty: str) -> str:
    """'户籍管理：落户、迁移' reads as a heading and its items; both halves are useful words."""
    return duty.replace("：", "，").replace(":", "，")


def load_requests(paths: Sequence[Path], catalogue: Catalogue) -> List[Example]:
    """Labelled requests: {requests: {department_id: [text, ...]}} per file."""
    known = {d.id for d in catalogue.departments}
    result: List[Example] = []
    for path in paths:
        result.extend(_load_file(Path(path), known))
    return result


def _load_file(path: Path, known: set) -> List[Example]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise CatalogueError(str(path), ["训练文件不存在"]) from exc
    except yaml.YAMLError as exc:
        raise CatalogueError(str(path), [f"不是合法的 YAML：{exc}"]) from exc
    groups = data.get("requests") if isinstance(data, dict) else None
    if not isinstance(groups, dict):
        raise CatalogueError(str(path), ["应为 requests: {部门id: [诉求, ...]}"])
    problems = [f"未知的部门 id：{dept_id}（不在部门目录中）" for dept_id in groups if dept_id not in known]
    problems += [f"部门 {dept_id} 的诉求应为非空的文字列表" for dept_id, texts in groups.items()
                 if not isinstance(texts, list) or not all(isinstance(t, str) and t.strip() for t in texts)]
    if problems:
        raise CatalogueError(str(path), problems)
    return [(t.strip(), dept_id) for dept_id, texts in groups.items() for t in texts]


def labelled_examples(catalogue: Catalogue, extra_training: bool = True) -> List[Labelled]:
    """Everything the router learns from, each text with where it came from (for the explanation)."""
    result = [Labelled(t, d, "catalogue") for t, d in catalogue_examples(catalogue)]
    if extra_training:
        result += [Labelled(t, d, "training") for t, d in load_requests(catalogue.router.training_files, catalogue)]
        result += load_learned(catalogue.router.learned_file, catalogue)
    return result


def load_learned(path: Optional[Path], catalogue: Catalogue) -> List[Labelled]:
    """The corrections file written by `hotline route retrain`: {corrections: [{number, department,
    text, ...}]}. Missing means nothing learned yet; a department no longer in the catalogue is
    skipped (a renamed department must not stop the router)."""
    if path is None or not Path(path).exists():
        return []
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CatalogueError(str(path), [f"不是合法的 YAML：{exc}"]) from exc
    items = data.get("corrections") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise CatalogueError(str(path), ["应为 corrections: [{number, department, text}, ...]"])
    known = {d.id for d in catalogue.departments}
    return [Labelled(str(i["text"]), i["department"], "ticket", str(i.get("number") or "") or None)
            for i in items if isinstance(i, dict) and i.get("department") in known and str(i.get("text") or "").strip()]
