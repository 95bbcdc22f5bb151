#!/usr/bin/env python3
"""Writes the configuration a system installation ships (/etc/releve/releve.json).

It is conf/releve.json, the built-in default, with every path made absolute
and pointed at the folders releved.service grants: the référentiel copy and the geography lists in
the configuration folder, the database and mail outbox in the state folder,
the spool tree, and the installed plugin folder.

usage: installed_config.py SOURCE OUTPUT CONFDIR STATEDIR SPOOLDIR PLUGINDIR
"""
import json
import sys


def main(argv):
    if len(argv) != 7:
        sys.exit(__doc__.strip().splitlines()[-1])
    source, output, confdir, statedir, spooldir, plugindir = argv[1:]
    with open(source, encoding="utf-8") as f:
        default = json.load(f)
    config = {
        "database": statedir + "/releve.db",
        "spool": spooldir,
        "plugins": plugindir,
        "referentiel": confdir + "/referentiel.json",
        # The shipped lists, installed beside it (packaging.cmake).
        "geography": {
            "qpv_2015": confdir + "/geography/qpv_2015_paris.csv",
            "arrondissements": confdir + "/geography/arrondissements_paris.csv",
        },
    }
    for key, value in default.items():
        config.setdefault(key, value)
    mail = dict(config.get("mail", {}))
    mail["outbox"] = statedir + "/outbox"
    config["mail"] = mail
    with open(output, "w", encoding="utf-8") as f:
        json.dump(config, f, ensure_ascii=False, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv)
