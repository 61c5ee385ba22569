"""`hotline restrict`, run as an operator would run it."""
import json

from tests.unit.hotline.test_cli import hotline


def test_restrict_add_list_lift_with_masked_numbers_and_the_operator_recorded(tmp_path):
    url = f"sqlite:///{tmp_path / 't.db'}"
    added = hotline("restrict", "add", "--kind", "phone", "--value", "13812345678", "--days", "30",
                    "--reason", "多次辱骂话务员", env_db=url)
    assert added.returncode == 0, added.stderr
    assert "已限制电话号码 138****5678 30 天" in added.stdout and "限制使用本热线服务至" in added.stdout
    assert "13812345678" not in added.stdout

    too_long = hotline("restrict", "add", "--kind", "phone", "--value", "13900001111", "--days", "31",
                       "--reason", "辱骂", env_db=url)
    assert too_long.returncode == 2 and "限制最长 30 个自然日" in too_long.stderr

    listing = hotline("restrict", "list", env_db=url)
    assert listing.returncode == 0 and "138****5678" in listing.stdout and "生效中" in listing.stdout
    assert "13812345678" not in listing.stdout
    [view] = json.loads(hotline("restrict", "list", "--json", env_db=url).stdout)
    assert view["created_by"].startswith("运维:") and view["shown"] == "138****5678"

    lifted = hotline("restrict", "lift", str(view["id"]), "--reason", "核实为误操作", env_db=url)
    assert lifted.returncode == 0 and f"已解除限制记录 {view['id']}" in lifted.stdout
    assert "目前没有生效的限制" in hotline("restrict", "list", env_db=url).stdout
    history = hotline("restrict", "list", "--all", env_db=url).stdout
    assert "已解除" in history and "核实为误操作" in history
    again = hotline("restrict", "lift", str(view["id"]), "--reason", "再来", env_db=url)
    assert again.returncode == 2 and "已于" in again.stderr
    missing = hotline("restrict", "lift", "999", "--reason", "x", env_db=url)
    assert missing.returncode == 1 and "没有编号为 999 的限制记录" in missing.stderr
