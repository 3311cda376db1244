"""The summary tables (`levy.summaries`), filled from the entries and commitments already held.

`AccountFigures` starts empty: the partnership view works each account's figures out once and
stores them.
"""

import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models

ACTIVE = "active"
INSTALMENT_PLACES = 5


def fill(apps, schema_editor):
    from joinedup.levy import summaries
    from joinedup.levy.payments import PaymentTerms

    LedgerEntry = apps.get_model("levy", "LedgerEntry")
    LedgerMonth = apps.get_model("levy", "LedgerMonth")
    Commitment = apps.get_model("levy", "Commitment")
    CommittedMonth = apps.get_model("levy", "CommittedMonth")
    Rule = apps.get_model("levy", "Rule")
    LedgerMonth.objects.bulk_create(
        (
            LedgerMonth(account_id=account, month=month, kind=kind, source=source, units=total)
            for account, month, kind, source, total in summaries.ledger_month_rows(
                LedgerEntry.objects.all()
            )
        ),
        batch_size=5_000,
    )
    active = list(Commitment.objects.filter(status=ACTIVE))
    if not active:
        return
    terms = tuple(
        PaymentTerms(
            effective_from=starts_on,
            completion_share=value,
            instalment_places=INSTALMENT_PLACES,
        )
        for starts_on, value in Rule.objects.filter(kind="completion_share")
        .order_by("starts_on")
        .values_list("starts_on", "value")
    )
    first = min(commitment.start_on.replace(day=1) for commitment in active)
    posted = set(
        LedgerEntry.objects.filter(
            kind__in=("payment", "transfer_out"), month__gte=first
        ).values_list("account_id", "key")
    )
    rows = summaries.committed_rows(active, terms, posted, 1)
    CommittedMonth.objects.bulk_create(
        (
            CommittedMonth(account_id=payer, month=month, payments=count, units=total)
            for (payer, month), (count, total) in sorted(rows.items())
        ),
        batch_size=5_000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('levy', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='AccountFigures',
            fields=[
                ('account', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='+', serialize=False, to='levy.levyaccount')),
                ('version', models.BigIntegerField(default=0)),
                ('computed_on', models.DateField(blank=True, null=True)),
                ('balance', models.DecimalField(decimal_places=5, default=Decimal('0'), max_digits=20)),
                ('expiring_soon', models.DecimalField(decimal_places=5, default=Decimal('0'), max_digits=20)),
                ('expiring', models.DecimalField(decimal_places=5, default=Decimal('0'), max_digits=20)),
                ('next_expiry', models.DateField(blank=True, null=True)),
                ('remaining_allowance', models.DecimalField(decimal_places=5, default=Decimal('0'), max_digits=20)),
            ],
            options={
                'verbose_name_plural': 'account figures',
            },
        ),
        migrations.CreateModel(
            name='CommittedMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('payments', models.IntegerField(default=0)),
                ('units', models.BigIntegerField(default=0)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='levy.levyaccount')),
            ],
            options={
                'ordering': ['account', 'month'],
                'constraints': [models.UniqueConstraint(fields=('account', 'month'), name='one_committed_month_row')],
            },
        ),
        migrations.CreateModel(
            name='LedgerMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('kind', models.CharField(choices=[('funds_in', 'Levy funds in'), ('top_up', 'Government top-up'), ('adjustment', 'End-of-year adjustment'), ('payment', 'Payment to a training provider'), ('transfer_out', 'Transfer sent'), ('transfer_in', 'Transfer received'), ('refund', 'Refund'), ('expiry', 'Expired funds')], max_length=20)),
                ('source', models.CharField(blank=True, choices=[('', "The account's own"), ('transfer', "A receiver's payment from a transfer"), ('short', 'An expiry of the short-term cohort')], max_length=10)),
                ('units', models.BigIntegerField(default=0)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='levy.levyaccount')),
            ],
            options={
                'ordering': ['account', 'month', 'kind', 'source'],
                'constraints': [models.UniqueConstraint(fields=('account', 'month', 'kind', 'source'), name='one_ledger_month_row')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
