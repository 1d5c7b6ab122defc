"""project.digest: what names the marts schema a Spark build publishes into changes with the
project's dbt files, and only with them."""

import shutil

from callstats import project


def test_the_digest_follows_the_projects_dbt_files(tmp_path, monkeypatch):
    for name in ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "callstats"):
        source = project.PROJECT_DIR / name
        copy = shutil.copytree if source.is_dir() else shutil.copyfile
        copy(source, tmp_path / name)
    monkeypatch.setattr(project, "PROJECT_DIR", tmp_path)
    first = project.digest()
    assert len(first) == 16 and first == project.digest()

    (tmp_path / "README.md").write_text("not a dbt file\n")
    assert project.digest() == first

    model = tmp_path / "models" / "marts" / "facts" / "fct_calls.sql"
    original = model.read_text()
    model.write_text(original + "\n")
    assert project.digest() != first
    model.write_text(original)
    assert project.digest() == first

    (tmp_path / "macros" / "new_macro.sql").write_text("{% macro new_macro() %}{% endmacro %}\n")
    assert project.digest() != first
