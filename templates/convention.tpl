# {{ titre }}

{% si publication %}
::: centre
{{ publication }}
:::

{% fin %}
::: centre
Entre
:::

**{{ delegant.nom }}**

{% si delegant.adresse %}
Adresse : {{ delegant.adresse }}

{% fin %}
{% si delegant.representant.nom ou delegant.representant.fonction %}
Représenté{{ delegant | accord }} par {% si delegant.representant.nom %}{{ delegant.representant.nom }}{% si delegant.representant.fonction %}, {% fin %}{% fin %}{{ delegant.representant.fonction }}

{% fin %}
Ci-après dénommé{{ delegant | accord }} {{ delegant.alias | alias }}

{% pour d dans delegataires %}
::: centre
Et
:::

**{{ d.nom }}**

{% si d.adresse %}
Adresse : {{ d.adresse }},

{% fin %}
{% si d.representant.nom ou d.representant.fonction %}
Représenté{{ d | accord }} par {% si d.representant.nom %}{{ d.representant.nom }}{% si d.representant.fonction %}, {% fin %}{% fin %}{{ d.representant.fonction }}{% si d.alias ou boucle.dernier %},{% sinon %} ;{% fin %}

{% fin %}
{% si d.alias %}
Ci-après dénommé{{ d | accord }} {{ d.alias | alias }}{% si boucle.dernier %},{% sinon %} ;{% fin %}

{% fin %}
{% fin %}
{% si designationCommune %}
Ci-après désigné{{ delegataires | accord }} ensemble sous le terme de {{ designationCommune | alias }},

{% fin %}
{% visas %}

{% si positionPreambule == "apres-convenu" %}
Il a été convenu ce qui suit :

{% fin %}
{% si preambule %}
## Préambule

{% preambule %}

{% fin %}
{% si positionPreambule != "apres-convenu" %}
Il a été convenu ce qui suit :

{% fin %}
{% articles %}

Fait à {{ lieuSignature }}{% si dateSignature %}, le {{ dateSignature | date }}{% fin %},

{% signatures %}

{% annexes %}

=== visa
Vu le décret 2004-1085 du 14 octobre 2004 modifié relatif à la délégation de gestion dans les services de l'Etat et le décret n°2012-1246 du 7 novembre 2012 modifié relatif à la gestion budgétaire et comptable publique,

=== visa
Vu le décret n° 2019-1088 du 25 octobre 2019 relatif au système d'information et de communication de l'Etat et à la direction interministérielle du numérique et notamment son article 6,

=== article : Objet de la délégation
La présente convention a pour objet de définir la répartition des rôles et les modalités de participation financière du délégant et de la DINUM afin d'accompagner {% si services %}les services numériques {{ services | liste }}{% sinon %}les services numériques du délégant{% fin %}, en suivant l'approche documentée sur la page <https://beta.gouv.fr/approche/>.

Conformément à l'article 2 du décret n°2004-1085 du 14 octobre 2004 visé en référence, la présente convention précise les obligations respectives des parties et les modalités d'exécution financière de l'action.

Pour assurer ses missions, le délégant autorise la DINUM à consommer des crédits hors titre 2 rattachés à l'unité opérationnelle (UO) **{{ financement.uo }}**, dont le responsable est le délégant.

Cette autorisation couvre les opérations de dépenses liées à la phase d'accélération du service visé par la présente convention.

Elle précise également le montant alloué au projet et les imputations budgétaires et analytiques à renseigner dans CHORUS.

=== article : Obligations du délégant
En ce qui concerne les produits référencés sur le site beta.gouv.fr comme des Startups d'État, le partenaire s'engage à respecter l'approche Startup d'État telle que définie sur le site <https://beta.gouv.fr/approche/> et le guide public du réseau [beta.gouv.fr https://doc.incubateur.net/communaute/](https://doc.incubateur.net/communaute/).

### Manifeste beta.gouv

Le partenaire adhère au manifeste du programme beta.gouv : <https://beta.gouv.fr/approche/manifeste>.

### Intrapreneur et sponsors

Le partenaire :

- nomme un ou une agent public au rôle d'"intrapreneur" dans les conditions détaillées sur la page <https://beta.gouv.fr/approche/intrapreneurs> ;
- désigne une ou un "sponsor" de haut niveau dans les conditions détaillées sur la page <https://beta.gouv.fr/approche/sponsors>.

### Comités d'investissements semestriels

Les travaux de chaque produit conçu selon l'approche Startup d'État sont organisés sous le pilotage d'un **comité d'investissement** organisé tous les six mois pour évaluer les résultats obtenus par chaque équipe incubée et pour déterminer la suite à donner. Ce comité d'investissement est présidé par le représentant du partenaire. La DINUM participe à ce comité d'investissement.

L'intrapreneur(e) et l'équipe du produit pourront choisir la forme de sa présentation mais devront présenter au minimum les indicateurs chiffrés qu'ils ont retenus pour mesurer l'impact de leur produit : résultats de la phase qui s'achève et objectifs à 6 mois.

Lors des comités de fin d'investigation, une grille d'évaluation référencée en annexe pourra être utilisée par les différentes parties pour instruire la décision de passage en phase de construction.

### Autres engagements

Les partenaires s'engagent à respecter les bonnes pratiques recommandées par beta.gouv en matière de conception de services numériques, et notamment :

- créer et mettre à jour une fiche produit à chaque nouveau produit sur le site beta.gouv.fr ;
- publie les codes sources en open source conformément aux orientations de la circulaire du Premier ministre 5608/SG du 19 septembre 2012 relative aux orientations pour l'usage des logiciels libres dans l'administration ;
- accorder une vigilance particulière par l'ensemble des parties prenantes au respect des règles de protection des données à caractère personnel ;
- mesurer et diffuser l'impact des services développés par l'intermédiaire d'une page internet présentant les statistiques du service ;
- organiser régulièrement des ateliers d'analyses de risques en suivant la démarche recommandée par la DINUM et l'ANSSI^[<https://www.ssi.gouv.fr/uploads/2018/11/guide-securite-numerique-agile-anssi-pa-v1.pdf>] ;
- pour les services nécessitant d'authentifier des usagers, prévoir l'intégration de France Connect^[<https://franceconnect.gouv.fr/partenaires/>] ;
- suivre les recommandations de l'observatoire de la qualité des démarches en ligne telles que décrites sur <https://observatoire.numerique.gouv.fr/> ; pour les démarches en ligne, prévoir l'intégration du bouton "Je Donne Mon Avis"^[<https://observatoire.numerique.gouv.fr/Aide/Int%C3%A9gration%20du%20bouton%20MonAvis>].

=== article : Obligations de la DINUM
La mission BETA de la DINUM s'engage à intégrer le ou les équipes du service visé par la présente convention à la communauté beta.gouv.fr : accès aux outils partagés, aux ateliers de partage d'expérience, aux formations et au réseau beta.gouv.fr pour le recrutement de profils experts du numérique.

Pour toutes les Startups d'État faisant partie du réseau beta.gouv.fr, la mission BETA donne accès à une offre de service transverse : aide juridique ponctuelle, expertise en matière de sécurité, d'accessibilité, d'expérience utilisateur, accompagnement à l'accélération ("programme Gamma"), à la pérennisation ou au transfert des produits, etc. L'ensemble de l'offre de services de la mission BETA à destination des partenaires est documenté sur le guide public du réseau beta.gouv.fr : <https://doc.incubateur.net/>.

La DINUM utilise les supports contractuels à sa disposition pour accompagner le service visé par la présente convention, au travers des prestations d'accompagnement et de coaching.

Dans l'utilisation de ces supports contractuels, le délégataire assure les actes de gestion permettant de consommer les AE et les CP, hors titre 2, de l'UO mentionné à l'article 1 dans le respect des règles budgétaires et comptables.

=== article : Respect des règles de protection des données à caractère personnel
Une vigilance particulière devra être accordée par l'ensemble des parties prenantes au respect des règles de protection des données à caractère personnel.

=== article : Exécution financière de la délégation
Le délégant s'engage à fournir, en temps utile et notamment en fin de gestion, tous les éléments de prévision et de suivi budgétaire demandés par le délégataire.

Dès la signature de la présente convention, le délégant :

- procède aux demandes de paramétrage d'habilitations de CHORUS auprès de l'agence pour l'informatique financière de l'État ;
- met à disposition les montants maximum suivants progressivement en autorisation d'engagement et crédits de paiements sur l'UO mentionnée à l'article 1 de la présente convention, selon l'échéancier prévisionnel et indicatif suivant et sur demande du délégataire :

| | AE | CP |
|---|---:|---:|
{% pour e dans financement.echeancier %}
| {{ e.annee }} | {{ e.ae | euros }} | {{ e.cp | euros }} |
{% fin %}

Le délégataire est chargé, en sa qualité de pouvoir adjudicateur, de la passation, de la signature et de l'exécution des actes juridiques (marchés publics, accords-cadres, conventions, etc.) nécessaires au développement des services numériques visées par la présente convention.

Pour assurer ses missions, le délégataire se voit confier par le délégant la gestion de crédits rattachés à l'unité opérationnelle mentionnée à l'article 1 de la présente convention.

Le délégant fournit en temps utile tous les éléments d'information dont le délégataire a besoin pour l'exercice de sa délégation, notamment les références d'imputation de la dépense et tout élément relatif à la certification du service fait.

| Références Chorus : | |
|---|---|
| Axe ministériel 1 | {{ financement.chorus.axeMinisteriel }} |
| Domaine fonctionnel : | {{ financement.chorus.domaineFonctionnel }} |
| Centre financier : | {{ financement.chorus.centreFinancier }} |
{% pour a dans financement.chorus.activites %}
| {% si boucle.premier %}Activité(s) :{% fin %} | {{ a.code }} {{ a.libelle }} |
{% fin %}
| Centre de coût : | {{ financement.chorus.centreDeCout }} |

Le délégataire est chargé de retranscrire les opérations de dépenses dans le système d'informations financier de l'État CHORUS, en lien avec le centre de services partagés financiers des services du Premier ministre.

Le comptable assignataire de la dépense est le contrôleur budgétaire et comptable ministériel (CBCM) des services du Premier ministre. Une copie de la convention est transmise au CBCM des services du Premier ministre et au CBCM du délégant.

Le délégataire s'engage à rendre compte au délégant au terme de la convention des dépenses réalisées et de l'avancement des travaux et à présenter à cette occasion les prévisions de commande et de consommation du budget.

La somme des crédits engagés par le délégataire ne pourra dépasser la limite du montant alloué par le délégant. En cas d'insuffisance des crédits, le délégataire informe le délégant sans délai. A défaut d'ajustement de la dotation, le délégataire suspend l'exécution de la délégation. Dans l'hypothèse où les crédits mis à disposition par le délégant ne seraient pas entièrement consommés par le délégataire, celui-ci s'engage à en informer le délégant dans les meilleurs délais.

=== article : Modification du document
Toute modification des conditions ou modalités d'exécution de la présente convention, définie d'un commun accord entre les parties, fait l'objet d'un avenant de droit dont un exemplaire est transmis au contrôleur budgétaire et comptable ministériel du Premier ministre et du délégant.

=== article : Durée et résiliation de la convention
La présente convention prend effet {% si debut.regle == "date" %}le {{ debut.date | date }}{% sinon %}à sa date de signature{% fin %}. Elle est conclue jusqu'au {{ dateFin | date }}.

La période d'effet de la convention couvre l'engagement des dépenses, la réalisation des prestations et le paiement des dépenses effectuées dans le cadre de la délégation de gestion sur l'UO.

De plus, la durée d'exécution du ou des bon(s) de commande sur marchés, passé(s) dans le cadre de cette convention, devra être conforme aux règles édictées dans le marché utilisé.

Conformément à l'article 5 du décret 2004-1085 du 14 octobre 2004 visé en référence, il peut être mis fin à tout moment à la délégation de gestion par l'une des parties, sous réserve du respect d'un préavis de {{ preavisMois | lettres }} mois.

La résiliation de la convention entraîne de plein droit la résiliation des services associés.

=== article : Publication de la délégation
La présente convention sera publiée selon les modalités propres de chaque département ministériel concerné, conformément à l'article 2 du décret n° 2004-1085 du 14 octobre 2004. Elle sera notamment publiée sur le site gouvernement.fr géré par le service d'information du gouvernement ([www.gouvernement.fr/publications-officielles/delegations-de-gestion](http://www.gouvernement.fr/publications-officielles/delegations-de-gestion)) et par le délégataire sur la plateforme data.gouv.fr.

=== modele
titre : Convention DINUM / beta.gouv.fr (accompagnement de Startups d'État)
description : La convention de référence (ministère de la Justice et DINUM, 2022) : accompagnement de services numériques selon l'approche beta.gouv, échéancier AE/CP et références Chorus.
version : 2
options : positionPreambule
requis : financement, echeancier, dateFin
