# Compte rendu d'exécution de {{ convention.designation }}

::: centre
conclue {{ convention.entre }}{% si convention.reference %} (réf. {{ convention.reference }}){% fin %}, signée le {{ baseSigneeLe | date }}
:::

**Expéditeur :** {% pour d dans delegataires %}{{ d.nom }}{% si d.adresse %}, {{ d.adresse }}{% fin %}{% si non boucle.dernier %} ; {% fin %}{% fin %}

**Destinataire :** {{ delegant.nom }}{% si delegant.adresse %}, {{ delegant.adresse }}{% fin %}

Vu le décret n° 2004-1085 du 14 octobre 2004 relatif à la délégation de gestion dans les services de l'État,

Vu la convention de délégation de gestion signée le {{ baseSigneeLe | date }}{% si avenantsPrecedents %}, modifiée par {{ avenantsPrecedents }}{% fin %}{% si actesModifies %}^[Empreintes SHA-256 des actes signés dont le présent acte rend compte : {% pour a dans actesModifies %}{{ a.libelle }} : {{ a.sha256 }}{% si boucle.dernier %}.{% sinon %} ; {% fin %}{% fin %}]{% fin %},

{% si resiliee %}
La convention a été résiliée avec effet au {{ finLe | date }}.
{% sinon %}
La convention a pris fin le {{ finLe | date }}, date de fin de sa période d'exécution.
{% fin %}

Conformément à ses stipulations, le délégataire rend compte au délégant des dépenses réalisées au titre de la délégation sur l'unité opérationnelle {{ uo }}.

#### Crédits délégués, consommés et restants.

Les crédits consommés sont la somme des lignes de dépense enregistrées par le délégataire, reproduites en annexe (les corrections y figurent en montants négatifs, avec leur motif).

| Année | AE déléguées | AE consommées | AE restantes | CP délégués | CP consommés | CP restants |
|---|---:|---:|---:|---:|---:|---:|
{% pour a dans annees %}
| {{ a.annee }} | {{ a.aeDelegue }} | {{ a.aeConsomme }} | {{ a.aeRestant }} | {{ a.cpDelegue }} | {{ a.cpConsomme }} | {{ a.cpRestant }} |
{% fin %}
| **Total** | **{{ total.aeDelegue }}** | **{{ total.aeConsomme }}** | **{{ total.aeRestant }}** | **{{ total.cpDelegue }}** | **{{ total.cpConsomme }}** | **{{ total.cpRestant }}** |

Le présent compte rendu, établi le {{ etabliLe | date }}, est adressé au délégant ; une copie en est adressée au contrôleur budgétaire et comptable ministériel de chacune des parties.

Fait à {{ lieuSignature }},

{% signatures %}

{% saut_de_page %}

## Annexe : lignes de dépense enregistrées

{% si lignes %}
| Date | Année | Crédits | Montant | Référence Chorus | Commentaire ou motif |
|---|---|---|---:|---|---|
{% pour l dans lignes %}
| {{ l.date }} | {{ l.annee }} | {{ l.credit }} | {{ l.montant }} | {{ l.chorus }} | {{ l.observation }} |
{% fin %}
| **Total AE** | | | **{{ total.aeConsomme }}** | | |
| **Total CP** | | | **{{ total.cpConsomme }}** | | |

{{ nombreLignes }}
{% sinon %}
Aucune dépense n'a été enregistrée au titre de la convention.
{% fin %}
